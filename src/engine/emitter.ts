import type { Clock } from '../util/clock';
import type { EventSink, RunEvent, RunEventBody } from './events';

/** The redactor every sink goes through (`src/state/redactor.ts` provides the real one). */
export interface RedactorLike {
  add(secret: string): void;
  redact(text: string): string;
  redactValue(value: unknown): unknown;
  /** See Redactor.safeCut: where a too-long line may be cut without splitting a secret. */
  safeCut?(text: string, at: number): number;
}

export type Emit = (body: RunEventBody) => void;

/**
 * Stamps run id, sequence number and time on each event, redacts it, and hands it to the sink.
 * A sink that throws must not stop the run: its error is written once to stderr and it is dropped.
 */
export function createEmitter(runId: string, sink: EventSink, clock: Clock, redactor: RedactorLike): Emit {
  let seq = 0;
  let broken = false;
  return (body) => {
    seq += 1;
    const event = redactor.redactValue({ ...body, runId, seq, ts: new Date(clock.now()).toISOString() }) as RunEvent;
    if (broken) return;
    try {
      sink.emit(event);
    } catch (error) {
      broken = true;
      process.stderr.write(`opsctl: an event listener failed and was detached: ${error instanceof Error ? error.message : String(error)}\n`);
    }
  };
}

/**
 * For a called runbook: its steps appear as `parent/child`, and its own run.started/run.finished
 * become log lines of the parent run.
 */
export function nestedEmitter(parent: Emit, prefix: string, runbook: string): Emit {
  return (body) => {
    switch (body.type) {
      case 'run.started':
        parent({ type: 'log', step: prefix, level: 'info', message: `runbook \`${runbook}\` started` });
        return;
      case 'run.finished':
        parent({ type: 'log', step: prefix, level: body.status === 'succeeded' || body.status === 'planned' ? 'info' : 'error', message: `runbook \`${runbook}\` ${body.status}${body.error ? `: ${body.error}` : ''}` });
        return;
      case 'log':
        parent({ ...body, step: body.step ? `${prefix}/${body.step}` : prefix });
        return;
      default:
        parent({ ...body, step: `${prefix}/${body.step}` } as RunEventBody);
    }
  };
}

/** Fans events out to several sinks (renderer, journal, report collector). */
export function teeSink(sinks: readonly EventSink[]): EventSink {
  return {
    emit(event) {
      for (const sink of sinks) sink.emit(event);
    },
    async close() {
      for (const sink of sinks) await sink.close?.();
    },
  };
}
