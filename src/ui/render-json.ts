import type { EventSink } from '../engine/events';

/** `--output json`: each event as one JSON line (the schema is docs/events.md). */
export function jsonRenderer(out: NodeJS.WritableStream = process.stdout): EventSink {
  ignoreClosedPipe(out);
  return {
    emit(event) {
      out.write(`${JSON.stringify(event)}\n`);
    },
  };
}

/** `opsctl ... | head` closes the pipe early; that is the reader's choice, not an opsctl crash. */
export function ignoreClosedPipe(out: NodeJS.WritableStream): void {
  out.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
}
