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
  await flushed();
  process.exit(code);
}

/**
 * stdout and stderr are asynchronous when they are pipes or sockets (how CI and test runners read
 * us): wait until what was written has left, so `process.exit` cuts nothing off. Bounded, so a
 * reader that stopped reading cannot make opsctl hang.
 */
function flushed(): Promise<unknown> {
  const drained = (stream: NodeJS.WriteStream) =>
    new Promise<void>((resolve) => {
      if (stream.destroyed || !stream.writable || stream.writableLength === 0) return resolve();
      stream.write('', () => resolve());
    });
  const limit = new Promise<void>((resolve) => setTimeout(resolve, 30_000).unref());
  return Promise.race([Promise.all([drained(process.stdout), drained(process.stderr)]), limit]);
}
