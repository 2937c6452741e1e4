import { usageError } from '../../util/errors';

/** `--output` of the loader commands: pretty on a terminal, plain elsewhere, json on request. */
export type LoaderOutput = 'pretty' | 'plain' | 'json';

export function loaderOutput(value: string | undefined): LoaderOutput {
  if (value === undefined) return process.stdout.isTTY && !process.env.CI ? 'pretty' : 'plain';
  if (value === 'pretty' || value === 'plain' || value === 'json') return value;
  throw usageError(`unknown output format \`${value}\``, 'use `--output pretty`, `plain` or `json`');
}

export function useColor(output: LoaderOutput, stream: NodeJS.WriteStream): boolean {
  return output === 'pretty' && stream.isTTY === true && !process.env.NO_COLOR;
}
