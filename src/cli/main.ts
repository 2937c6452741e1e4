import { buildProgram } from './program';
import { handleError } from './handle-error';

/** Entry point of bin/opsctl. Always ends the process itself: a CI step never hangs. */
export async function main(argv: readonly string[]): Promise<void> {
  let code: number;
  try {
    const program = buildProgram();
    await program.parseAsync([...argv]);
    code = typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    code = handleError(error);
  }
  process.exit(code);
}
