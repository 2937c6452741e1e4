import type { RunEvent, RunStatus, StepStatus } from '../engine/events';
import { unreachable } from '../util/unreachable';
import { formatDuration } from '../util/duration';
import type { Paint } from './paint';

export { noPaint, type Paint } from './paint';

/** What a renderer remembers of a run from its events, for the closing table. */
export interface StepRow {
  readonly step: string;
  title?: string;
  status: StepStatus;
  durationMs?: number;
  attempts: number;
  note?: string;
}

export interface RunSummary {
  runbook?: string;
  dryRun: boolean;
  readonly rows: StepRow[];
  status?: RunStatus;
  durationMs?: number;
  failedStep?: string;
  error?: string;
}

export function newSummary(): RunSummary {
  return { dryRun: false, rows: [] };
}

/** Each summary's rows by step id: looking a row up in the list at each event made 10,000 steps quadratic. */
const rowIndex = new WeakMap<RunSummary, Map<string, StepRow>>();

function rowOf(summary: RunSummary, step: string): StepRow {
  let rows = rowIndex.get(summary);
  if (!rows) rowIndex.set(summary, (rows = new Map(summary.rows.map((r) => [r.step, r]))));
  let row = rows.get(step);
  if (!row) {
    row = { step, status: 'pending', attempts: 0 };
    rows.set(step, row);
    summary.rows.push(row);
  }
  return row;
}

/** Folds one event into the summary (pure apart from mutating `summary`). */
export function applyEvent(summary: RunSummary, event: RunEvent): void {
  if (event.type === 'run.started') {
    summary.runbook = event.runbook;
    summary.dryRun = event.dryRun;
    return;
  }
  if (event.type === 'run.finished') {
    summary.status = event.status;
    summary.durationMs = event.durationMs;
    if (event.failedStep) summary.failedStep = event.failedStep;
    if (event.error) summary.error = event.error;
    return;
  }
  if (event.type === 'log' || event.type === 'step.output' || event.type === 'step.progress') return;
  const row = rowOf(summary, event.step);
  switch (event.type) {
    case 'step.planned':
      row.status = 'planned';
      if (event.title) row.title = event.title;
      row.note = event.plan.summary;
      break;
    case 'step.skipped':
      row.status = 'skipped';
      row.note = event.reason;
      break;
    case 'step.awaiting-confirmation':
      row.status = 'awaiting-confirmation';
      break;
    case 'step.confirmed':
      row.note = `confirmed by ${event.by} (${event.via})`;
      break;
    case 'step.declined':
      row.status = 'cancelled';
      row.note = `not confirmed: ${event.reason}`;
      break;
    case 'step.started':
      row.status = 'running';
      row.attempts = event.attempt;
      if (event.title) row.title = event.title;
      break;
    case 'step.retrying':
      row.note = `retrying: ${event.reason}`;
      break;
    case 'step.succeeded':
      row.status = 'succeeded';
      row.durationMs = event.durationMs;
      row.note = undefined;
      break;
    case 'step.failed':
      row.status = 'failed';
      row.durationMs = event.durationMs;
      row.note = event.message;
      break;
    case 'step.timed-out':
      row.status = 'timed-out';
      row.durationMs = event.durationMs;
      row.note = event.message ?? `timed out after ${formatDuration(event.timeoutMs)}`;
      break;
    case 'step.cancelled':
      row.status = 'cancelled';
      row.durationMs = event.durationMs;
      break;
    // A step that failed after changing something is undone too; it stays failed, with a note.
    case 'step.rolling-back':
      if (!failedRow(row)) row.status = 'rolling-back';
      break;
    case 'step.rolled-back':
      if (failedRow(row)) row.note = row.note ? `${row.note} (rolled back)` : 'rolled back';
      else row.status = 'rolled-back';
      break;
    case 'step.rollback-failed':
      if (failedRow(row)) row.note = `${row.note ? `${row.note}; ` : ''}undo failed: ${event.message}`;
      else {
        row.status = 'rollback-failed';
        row.note = `undo failed: ${event.message}`;
      }
      break;
    default:
      return unreachable(event);
  }
}

function failedRow(row: { readonly status: StepStatus }): boolean {
  return row.status === 'failed' || row.status === 'timed-out';
}


export function statusSymbol(status: StepStatus): string {
  switch (status) {
    case 'succeeded':
    case 'rolled-back':
      return '✔';
    case 'failed':
    case 'timed-out':
    case 'rollback-failed':
      return '✖';
    case 'cancelled':
      return '■';
    case 'skipped':
      return '↷';
    case 'planned':
      return '○';
    case 'awaiting-confirmation':
      return '?';
    case 'running':
    case 'rolling-back':
      return '▶';
    case 'pending':
      return '·';
    default: {
      const never: never = status;
      return String(never);
    }
  }
}

export function paintStatus(text: string, status: StepStatus | RunStatus, paint: Paint): string {
  switch (status) {
    case 'succeeded':
    case 'rolled-back':
      return paint.green(text);
    case 'failed':
    case 'timed-out':
    case 'rollback-failed':
      return paint.red(text);
    case 'cancelled':
    case 'not-confirmed':
    case 'awaiting-confirmation':
      return paint.yellow(text);
    case 'planned':
    case 'running':
    case 'rolling-back':
      return paint.cyan(text);
    default:
      return paint.dim(text);
  }
}

/** The closing table: one row per step, the step that failed first marked. */
export function summaryTable(summary: RunSummary, paint: Paint, formatDuration: (ms: number) => string): string[] {
  if (summary.rows.length === 0) return [];
  const width = Math.max(4, ...summary.rows.map((r) => r.step.length));
  const statusWidth = Math.max(6, ...summary.rows.map((r) => r.status.length));
  const lines = [paint.dim(`  ${'STEP'.padEnd(width)}  ${'STATUS'.padEnd(statusWidth)}  ${'TIME'.padEnd(8)}  NOTE`)];
  for (const row of summary.rows) {
    const time = row.durationMs !== undefined && row.status !== 'skipped' && row.status !== 'planned' ? formatDuration(row.durationMs) : '';
    const attempts = row.attempts > 1 ? `${row.attempts} attempts` : '';
    const first = summary.failedStep === row.step ? paint.red(paint.bold('← failed first')) : '';
    const note = [first, attempts, row.note ? oneLine(row.note) : ''].filter(Boolean).join('  ');
    lines.push(`  ${row.step.padEnd(width)}  ${paintStatus(row.status.padEnd(statusWidth), row.status, paint)}  ${time.padEnd(8)}  ${note}`.trimEnd());
  }
  return lines;
}

function oneLine(text: string): string {
  const lines = text.split('\n').map((line) => line.trim()).filter((line) => line !== '');
  const first = lines[0] ?? '';
  const last = lines.at(-1) ?? '';
  // "…; last lines of stderr:" announces what follows: the last of those lines is the useful part.
  if (lines.length > 1 && first.endsWith(':')) {
    const head = first.length > 70 ? `${first.slice(0, 67)}...` : first;
    return `${head} ${last.length > 100 ? `...${last.slice(-97)}` : last}`;
  }
  return first.length > 100 ? `${first.slice(0, 97)}...` : first;
}

/** The last line of a run: its status, duration and error. */
export function finalLine(summary: RunSummary, paint: Paint, formatDuration: (ms: number) => string): string {
  const status = summary.status ?? 'failed';
  const what = summary.dryRun ? `plan of \`${summary.runbook ?? ''}\`` : `run of \`${summary.runbook ?? ''}\``;
  const word = status === 'planned' ? 'planned' : status;
  const duration = summary.durationMs !== undefined ? ` in ${formatDuration(summary.durationMs)}` : '';
  // Steps that failed with `on_failure: continue` (a checklist's failing items): the run went on,
  // but "succeeded" above a FAIL would contradict the verdict.
  const continued = status === 'succeeded' ? summary.rows.filter((r) => r.status === 'failed' || r.status === 'timed-out').length : 0;
  if (continued > 0) {
    return paintStatus(`${what} finished${duration} with ${continued === 1 ? '1 failed step' : `${continued} failed steps`} (on_failure: continue)`, 'failed', paint);
  }
  return paintStatus(`${what} ${word}${duration}`, status, paint) + (summary.error && status !== 'succeeded' && status !== 'planned' ? `: ${summary.error}` : '');
}
