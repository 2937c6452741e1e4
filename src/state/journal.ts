import type { EventSink, RunEvent, RunEventBody, RunStatus } from '../engine/events';
import type { Approval, StateStore } from './store';
import { OutputCap, type OutputEvent } from './output-cap';

export interface JournalOptions {
  readonly store: StateStore;
  readonly runId: string;
  readonly redactor: { redact(text: string): string; redactValue(value: unknown): unknown };
  /** Output kept from the start of each step, in characters. */
  readonly headChars?: number;
  /** Output kept from the end of each step, in characters. */
  readonly tailChars?: number;
  /** Lines kept at each end (short lines cost mostly JSON envelope, so characters alone do not bound the file). */
  readonly maxLines?: number;
  /** Output of a long step is written at least this often (ms), even between transitions. */
  readonly flushEveryMs?: number;
  /** Keep the run record's status, end time and approvals in step with the events. */
  readonly updateRecord?: boolean;
  /**
   * If the process exits while the run is still going (a second Ctrl-C exits at once), write
   * what is buffered and close the run as `cancelled` on the way out, synchronously.
   */
  readonly finalizeOnExit?: boolean;
  /** A failed write; the run goes on (the journal is evidence, not a gate), the caller reports it. */
  readonly onError?: (error: unknown) => void;
}

const KiB = 1024;

/**
 * The journal: an EventSink that writes a run's events to the StateStore.
 *
 * Durability rule. The journal on disk is always a prefix of the event stream (batches are
 * appended in order), and these events are durable when `emit` returns, with everything
 * buffered before them:
 *   - the run's own transitions (`run.started`, `run.finished`), gates (`step.awaiting-confirmation`,
 *     `step.confirmed`, `step.declined`) and undo (`step.rolling-back`, `step.rolled-back`,
 *     `step.rollback-failed`);
 *   - `step.started` of a step that may change something (effect `write`): written before its
 *     side effect begins, so a resume knows it was interrupted;
 *   - the end of such a step (`step.succeeded`, `step.failed`, `step.timed-out`, `step.cancelled`,
 *     `step.skipped`) and its `step.retrying`, so a resume never repeats a change that finished;
 *     these are durable at the end of the current turn of the event loop, or with the next
 *     durable event if it comes first (see #flushSoon);
 *   - any step end of a step whose start was not seen (conservative), likewise.
 * Everything else (output, progress, `log` lines, plans, and the start and end of a read-only
 * step) is buffered until the next durable event, the `flushEveryMs` timer, or close. Losing
 * such a tail in a crash loses no side effect: a resume runs those read-only steps again.
 * (A `write`-every-transition journal cost 2 fsyncs per step: 10,000 `log` steps, 20,000 fsyncs.)
 * Output and progress lines are buffered the same way, so a
 * chatty step costs one fsync per batch, not per line. Every event is redacted first. Output is
 * capped per step (the first and the last part are kept, with a `log` line saying how much was
 * left out), so 1 GiB of output still makes a journal of bounded size.
 */
export class JournalSink implements EventSink {
  readonly #options: JournalOptions;
  readonly #cap: OutputCap;
  #buffer: RunEvent[] = [];
  #chain: Promise<void> = Promise.resolve();
  #timer: NodeJS.Timeout | undefined;
  #immediate: NodeJS.Immediate | undefined;
  #approvals: Approval[] = [];
  #failure: unknown;
  #closed = false;
  #finished: RunStatus | undefined;
  #lastSeq = 0;
  #startedAt: string | undefined;
  /** The effect of each step's latest `step.started`: decides whether its events are durable at once. */
  readonly #effects = new Map<string, 'read' | 'write'>();
  readonly #onExit = () => this.#finalize();

  constructor(options: JournalOptions) {
    this.#options = options;
    this.#cap = new OutputCap({ headChars: options.headChars ?? 64 * KiB, tailChars: options.tailChars ?? 64 * KiB, maxLines: options.maxLines ?? 1000 });
    if (options.finalizeOnExit) process.once('exit', this.#onExit);
  }

  /** The status of `run.finished`, once it was emitted. */
  get finishedStatus(): RunStatus | undefined {
    return this.#finished;
  }

  /** The first write that failed, if any. */
  get failure(): unknown {
    return this.#failure;
  }

  emit(raw: RunEvent): void {
    if (this.#closed) return;
    this.#lastSeq = Math.max(this.#lastSeq, raw.seq);
    if (raw.type === 'step.output' || raw.type === 'step.progress') {
      // Redacted only if kept: the lines a cap drops cost no redaction (1 GiB of output stays cheap).
      if (this.#cap.admit(raw)) this.#buffer.push(this.#redactLine(raw));
      this.#armTimer();
      return;
    }
    const event = this.#options.redactor.redactValue(raw) as RunEvent;
    if (event.type === 'run.started') this.#startedAt = event.ts;
    if (isStepEnd(event) || event.type === 'step.retrying') this.#releaseTail(event.step);
    if (event.type === 'run.finished') this.#finished = event.status;
    if (event.type === 'step.started') this.#effects.set(event.step, event.effect);
    this.#buffer.push(event);
    if (!this.#durableAtOnce(event)) this.#armTimer();
    else if (isStepEnd(event) || event.type === 'step.retrying') this.#flushSoon();
    else this.#flush();
    if (this.#options.updateRecord) this.#track(event);
  }

  /** Resolves when every event emitted so far is durable. */
  flush(): Promise<void> {
    this.#flush();
    return this.#chain;
  }

  async close(): Promise<void> {
    if (this.#closed) return this.#chain;
    for (const step of this.#cap.steps()) this.#releaseTail(step);
    this.#flush();
    this.#closed = true;
    process.off('exit', this.#onExit);
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    return this.#chain;
  }

  #finalize(): void {
    if (this.#closed) return;
    for (const step of this.#cap.steps()) this.#releaseTail(step);
    if (this.#finished === undefined && this.#startedAt !== undefined) {
      const now = new Date();
      this.emit({
        type: 'run.finished',
        status: 'cancelled',
        durationMs: Math.max(0, now.getTime() - Date.parse(this.#startedAt)),
        error: 'opsctl exited before the run finished (interrupted twice): running steps were killed',
        runId: this.#options.runId,
        seq: this.#lastSeq + 1,
        ts: now.toISOString(),
      });
      const store = this.#options.store as StateStore & { updateRunSync?: (id: string, patch: { status: RunStatus; endedAt: string }) => void };
      try {
        if (this.#options.updateRecord) store.updateRunSync?.(this.#options.runId, { status: 'cancelled', endedAt: now.toISOString() });
      } catch {
        /* the process is exiting: nothing more can be done */
      }
    }
    this.#flush();
    this.#closed = true;
  }

  /** At the end of a step (or attempt): the truncation note, then the kept tail, into the buffer. */
  #releaseTail(step: string): void {
    for (const event of this.#cap.release(step, this.#options.runId)) {
      this.#buffer.push(event.type === 'step.output' || event.type === 'step.progress' ? this.#redactLine(event) : event);
    }
  }

  /** Only the text of an output line can hold a secret; step ids, streams and times are opsctl's own. */
  #redactLine(event: OutputEvent): OutputEvent {
    const redact = this.#options.redactor.redact.bind(this.#options.redactor);
    return event.type === 'step.output' ? { ...event, text: redact(event.text) } : { ...event, message: redact(event.message) };
  }

  /**
   * The end of a write step is made durable at the end of this turn of the event loop, not at
   * once: when the next step starts at once (a sequence of steps), its durable start carries
   * the end with it, one fsync instead of two. A crash inside that window can only make a step
   * that finished look interrupted to a resume, which then asks (--rerun-interrupted); it never
   * hides that a step started.
   */
  #flushSoon(): void {
    this.#immediate ??= setImmediate(() => {
      this.#immediate = undefined;
      this.#flush();
    });
  }

  #flush(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#immediate) clearImmediate(this.#immediate);
    this.#immediate = undefined;
    if (this.#buffer.length === 0) return;
    const batch = this.#buffer;
    this.#buffer = [];
    const store = this.#options.store as StateStore & { appendEventsSync?: (runId: string, events: readonly RunEvent[]) => void };
    if (store.appendEventsSync && this.#failure === undefined) {
      // A local file: write and fsync now, so the engine goes on only once the transition is durable.
      try {
        store.appendEventsSync(this.#options.runId, batch);
      } catch (error) {
        this.#fail(error);
      }
      return;
    }
    this.#enqueue(() => this.#options.store.appendEvents(this.#options.runId, batch));
  }

  /** The durability rule of the class comment. */
  #durableAtOnce(event: RunEvent): boolean {
    if (!isTransition(event)) return false;
    if (event.type === 'step.started') return event.effect !== 'read';
    if (isStepEnd(event) || event.type === 'step.retrying') return this.#effects.get(event.step) !== 'read';
    return true;
  }

  #armTimer(): void {
    if (this.#timer || this.#closed) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#flush();
    }, this.#options.flushEveryMs ?? 1000);
    this.#timer.unref();
  }

  #enqueue(task: () => Promise<void>): void {
    this.#chain = this.#chain.then(task).catch((error: unknown) => this.#fail(error));
  }

  #fail(error: unknown): void {
    if (this.#failure === undefined) {
      this.#failure = error;
      this.#options.onError?.(error);
    }
  }

  #track(event: RunEvent): void {
    const { store, runId } = this.#options;
    switch (event.type) {
      case 'step.confirmed':
        this.#approvals = [...this.#approvals, { step: event.step, by: event.by, via: event.via, at: event.ts }];
        {
          const approvals = this.#approvals;
          this.#enqueue(() => store.updateRun(runId, { approvals }));
        }
        return;
      case 'run.finished':
        this.#enqueue(() => store.updateRun(runId, { status: event.status, endedAt: event.ts }));
        return;
      default:
        return;
    }
  }
}

type StepEnd = Extract<RunEventBody, { type: 'step.succeeded' | 'step.failed' | 'step.timed-out' | 'step.cancelled' | 'step.skipped' }>;

function isStepEnd(event: RunEvent): event is RunEvent & StepEnd {
  switch (event.type) {
    case 'step.succeeded':
    case 'step.failed':
    case 'step.timed-out':
    case 'step.cancelled':
    case 'step.skipped':
      return true;
    default:
      return false;
  }
}

/** Events after which the journal must be on disk: every state change of a step or the run. */
export function isTransition(event: RunEvent): boolean {
  switch (event.type) {
    case 'step.output':
    case 'step.progress':
    case 'log':
    case 'step.planned':
      return false;
    case 'run.started':
    case 'run.finished':
    case 'step.skipped':
    case 'step.awaiting-confirmation':
    case 'step.confirmed':
    case 'step.declined':
    case 'step.started':
    case 'step.retrying':
    case 'step.succeeded':
    case 'step.failed':
    case 'step.timed-out':
    case 'step.cancelled':
    case 'step.rolling-back':
    case 'step.rolled-back':
    case 'step.rollback-failed':
      return true;
  }
}
