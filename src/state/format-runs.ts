import type { RunEvent, RunStatus, StepStatus } from '../engine/events';
import { formatDuration } from '../util/duration';
import { unreachable } from '../util/unreachable';
import type { Paint } from '../ui/paint';

export { noPaint, type Paint } from '../ui/paint';
import type { ReplayedRun, ReplayedStep } from './replay';
import type { LockHolder, RunRecord } from './store';


/** A run whose record says `running` but whose process is gone is shown as `interrupted`. */
export type DisplayStatus = RunStatus | 'interrupted';

export function displayStatus(run: RunRecord, isAlive: (run: RunRecord) => boolean): DisplayStatus {
  return run.status === 'running' && !isAlive(run) ? 'interrupted' : run.status;
}

export function paintStatus(status: DisplayStatus | StepStatus, paint: Paint): string {
  switch (status) {
    case 'succeeded':
    case 'rolled-back':
      return paint.green(status);
    case 'failed':
    case 'timed-out':
    case 'rollback-failed':
    case 'interrupted':
      return paint.red(status);
    case 'cancelled':
    case 'not-confirmed':
    case 'awaiting-confirmation':
    case 'rolling-back':
      return paint.yellow(status);
    case 'running':
      return paint.cyan(status);
    case 'planned':
    case 'pending':
    case 'skipped':
      return paint.dim(status);
    default:
      return unreachable(status);
  }
}

/** `2026-11-22 14:30:00Z`: UTC, to the second, the same everywhere the run is discussed. */
export function stamp(iso: string | undefined): string {
  if (!iso) return '-';
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return iso;
  return `${new Date(time).toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

function duration(run: RunRecord): string {
  if (!run.endedAt) return '-';
  return formatDuration(Date.parse(run.endedAt) - Date.parse(run.startedAt));
}

/** The `opsctl runs list` table. */
export function runsTable(runs: readonly RunRecord[], statusOf: (run: RunRecord) => DisplayStatus, paint: Paint): string[] {
  if (runs.length === 0) return ['No runs recorded yet. Runs appear here after `opsctl run RUNBOOK`.'];
  const rows = runs.map((run) => {
    const status = statusOf(run);
    return [run.id, run.runbook.name + (run.dryRun ? ' (dry-run)' : ''), run.environment ?? '-', status, run.user, stamp(run.startedAt), duration(run)];
  });
  const header = ['RUN', 'RUNBOOK', 'ENV', 'STATUS', 'USER', 'STARTED', 'DURATION'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[], paintCell: (cell: string, i: number) => string) =>
    cells
      .map((cell, i) => paintCell(cell, i) + ' '.repeat(Math.max(0, (widths[i] ?? 0) - cell.length)))
      .join('  ')
      .trimEnd();
  return [
    line(header, (cell) => paint.bold(cell)),
    ...rows.map((row) => line(row, (cell, i) => (i === 3 ? paintStatus(cell as DisplayStatus, paint) : cell))),
  ];
}

/** The `opsctl runs show` block: the audit record, then each step's end. */
export function runDetail(run: RunRecord, status: DisplayStatus, replayed: ReplayedRun, paint: Paint): string[] {
  const params = Object.entries(run.params).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
  const lines = [
    `${paint.bold(`Run ${run.id}`)}  ${paintStatus(status, paint)}${run.dryRun ? paint.dim(' (dry-run)') : ''}`,
    `  runbook    ${run.runbook.name} — ${run.runbook.title}`,
    `  file       ${run.runbook.path} (sha256 ${run.runbook.hash.slice(0, 12)})`,
    `  params     ${params.length > 0 ? params.join(' ') : '-'}`,
    `  env        ${run.environment ?? '-'}`,
    `  by         ${run.user} (${run.trigger}) on ${run.host}, pid ${run.pid}, opsctl ${run.opsctlVersion}`,
    `  started    ${stamp(run.startedAt)}`,
    `  ended      ${run.endedAt ? `${stamp(run.endedAt)} (${duration(run)})` : '-'}`,
  ];
  if (run.lockKey) lines.push(`  lock       ${run.lockKey}`);
  if (run.resumedFrom) lines.push(`  resumes    ${run.resumedFrom}`);
  if (run.rollbackOf) lines.push(`  undoes     ${run.rollbackOf}`);
  if (run.incidentId) lines.push(`  incident   ${run.incidentId}`);
  if (run.approvals.length > 0) {
    lines.push('  approvals');
    for (const a of run.approvals) lines.push(`    ${a.step}: ${a.by} via ${a.via} at ${stamp(a.at)}`);
  }
  if (replayed.finished?.error) lines.push(`  error      ${paint.red(replayed.finished.error)}`);
  if (status === 'interrupted') lines.push(`  ${paint.yellow(`the process died mid-run; \`opsctl resume ${run.id}\` continues it`)}`);
  const steps = [...replayed.steps.values()];
  if (steps.length > 0) {
    lines.push('', paint.bold('Steps'));
    const width = Math.max(...steps.map((s) => s.id.length));
    for (const step of steps) lines.push(`  ${stepLine(step, width, paint)}`);
  }
  return lines;
}

function stepLine(step: ReplayedStep, width: number, paint: Paint): string {
  const parts = [step.id.padEnd(width), paintStatus(step.status, paint)];
  if (step.durationMs !== undefined) parts.push(formatDuration(step.durationMs));
  if (step.attempts > 1) parts.push(`${step.attempts} attempts`);
  if (step.exitCode !== undefined && step.status !== 'succeeded') parts.push(`exit ${step.exitCode}`);
  if (step.message) parts.push(paint.dim(step.message));
  const outputs = Object.entries(step.outputs);
  if (outputs.length > 0) parts.push(paint.dim(outputs.map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' ')));
  return parts.join('  ');
}

/** One line per journaled event for `opsctl runs logs`: time, step, what happened. */
export function logLine(event: RunEvent, paint: Paint): string {
  const time = paint.dim(event.ts.slice(11, 23));
  const who = 'step' in event && event.step ? `${paint.cyan(event.step)} ` : '';
  return `${time} ${who}${describe(event, paint)}`;
}

function describe(event: RunEvent, paint: Paint): string {
  switch (event.type) {
    case 'run.started':
      return paint.bold(`run ${event.runbook} started${event.dryRun ? ' (dry-run)' : ''}${event.environment ? ` in ${event.environment}` : ''}${event.resumedFrom ? `, resuming ${event.resumedFrom}` : ''}`);
    case 'run.finished':
      return paint.bold(`run ${paintStatus(event.status, paint)} in ${formatDuration(event.durationMs)}${event.error ? `: ${event.error}` : ''}`);
    case 'step.planned':
      return `planned (${event.effect}): ${event.plan.summary}`;
    case 'step.skipped':
      return paint.dim(`skipped: ${event.reason}`);
    case 'step.awaiting-confirmation':
      return paint.yellow(`awaiting confirmation: ${event.message}`);
    case 'step.confirmed':
      return `confirmed by ${event.by} (${event.via})`;
    case 'step.declined':
      return paint.yellow(`declined by ${event.by}: ${event.reason}`);
    case 'step.started':
      return `started${event.attempt > 1 ? ` (attempt ${event.attempt})` : ''}`;
    case 'step.output':
      return `${event.stream === 'stderr' ? paint.yellow('│') : '│'} ${event.text}`;
    case 'step.progress':
      return paint.dim(event.message);
    case 'step.retrying':
      return paint.yellow(`retrying in ${formatDuration(event.delayMs)} (attempt ${event.attempt}): ${event.reason}`);
    case 'step.succeeded':
      return paint.green(`succeeded in ${formatDuration(event.durationMs)}`);
    case 'step.failed':
      return paint.red(`failed after ${formatDuration(event.durationMs)}: ${event.message}`);
    case 'step.timed-out':
      return paint.red(`timed out after ${formatDuration(event.timeoutMs)}`);
    case 'step.cancelled':
      return paint.yellow(`cancelled after ${formatDuration(event.durationMs)}`);
    case 'step.rolling-back':
      return paint.yellow('rolling back');
    case 'step.rolled-back':
      return paint.green(`rolled back in ${formatDuration(event.durationMs)}`);
    case 'step.rollback-failed':
      return paint.red(`rollback failed: ${event.message}`);
    case 'log': {
      const text = `${event.level}: ${event.message}`;
      return event.level === 'error' ? paint.red(text) : event.level === 'warn' ? paint.yellow(text) : text;
    }
    default:
      return unreachable(event);
  }
}

/** The `opsctl lock list` table. */
export function locksTable(locks: readonly LockHolder[], staleOf: (lock: LockHolder) => string | undefined, paint: Paint): string[] {
  if (locks.length === 0) return ['No locks are held.'];
  const rows = locks.map((l) => {
    const stale = staleOf(l);
    return [l.key, l.runId, l.user, `${l.host} (pid ${l.pid})`, stamp(l.since), stamp(l.heartbeatAt), stale ? `stale: ${stale}` : 'held'];
  });
  const header = ['KEY', 'RUN', 'USER', 'HOST', 'SINCE', 'HEARTBEAT', 'STATE'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const fmt = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [paint.bold(fmt(header)), ...rows.map((row) => (row[6] === 'held' ? fmt(row) : paint.yellow(fmt(row))))];
}
