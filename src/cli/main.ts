import { buildProgram } from './program';
import { handleError } from './handle-error';
import { madeStreams, whenMade } from './std-streams';

export { v8FlagsChanged } from '../util/v8-tiering';

/** Entry point of bin/opsctl. Always ends the process itself: a CI step never hangs. */
export async function main(argv: readonly string[]): Promise<void> {
  // A reader that went away (`opsctl schema | head`) is not an error of the run: the run goes on
  // and its journal keeps everything; only the output to that reader stops. Set up when the
  // stream is made: most commands never make stderr (std-streams.ts).
  whenMade('stdout', (stream) => stream.on('error', ignoreClosedPipe));
  whenMade('stderr', (stream) => stream.on('error', ignoreClosedPipe));
  let code: number;
  try {
    const program = buildProgram(argv.slice(2));
    await program.parseAsync([...argv]);
    code = typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    code = handleError(error);
  }
  // Writes to a pipe are asynchronous: exiting at once would cut off what a reader
  // (`opsctl schema | jq`, a CI log collector) has not taken yet. A stream never made holds nothing.
  await Promise.all(madeStreams().map(drained));
  process.exit(code);
}

function ignoreClosedPipe(error: NodeJS.ErrnoException): void {
  if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
}

/** Resolves once everything written so far has been handed to the OS (or the reader went away). */
function drained(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    if (stream.destroyed || !stream.writable) return resolve();
    stream.write('', () => resolve());
  });
}
