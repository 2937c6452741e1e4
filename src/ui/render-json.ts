import type { EventSink } from '../engine/events';

/** `--output json`: each event as one JSON line (the schema is docs/events.md). */
export function jsonRenderer(out: NodeJS.WritableStream = process.stdout): EventSink {
  return {
    emit(event) {
      out.write(`${JSON.stringify(event)}\n`);
    },
  };
}
