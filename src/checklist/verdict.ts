import type { StepGraph, Step } from '../runbook/model';
import type { StepRecord } from './collect';

export type Verdict = 'pass' | 'warn' | 'fail' | 'skip' | 'planned' | 'not-run';

/** One line of a checklist: the check, what was measured, and what was expected. */
export interface ChecklistItem {
  readonly id: string;
  readonly title: string;
  readonly verdict: Verdict;
  readonly value: string;
  readonly expect: string;
  /** Why it failed or was skipped. */
  readonly note: string;
}

export interface ChecklistCounts {
  readonly pass: number;
  readonly warn: number;
  readonly fail: number;
  readonly skip: number;
  readonly planned: number;
  readonly notRun: number;
}

/**
 * The checklist convention, on top of the ordinary runbook format:
 * - every main step is an item, titled by its `title` (else its id);
 * - a step that fails (or times out, is cancelled or declined) is `fail`;
 * - a step that succeeds is `pass`, unless its `verdict` (output, or a `verdict: …` line on
 *   stdout) says `warn` or `fail`;
 * - the measured value is the `value` output (or a `value: …` stdout line; for HTTP the status,
 *   for SQL the first value), the expectation the `expect` output (or an `expect: …` line), else
 *   what the action itself expects (HTTP `expect.status`, SQL `expect`, a manual task: done).
 * Stdout lines are read too because a failed step has no selected outputs, and a failed check is
 * the one whose measured value matters most.
 */
export function checklistItems(graph: StepGraph, records: ReadonlyMap<string, StepRecord>, resolve: Resolve = (v) => v): ChecklistItem[] {
  return graph.order.flatMap((id) => {
    const step = graph.steps.get(id);
    return step ? [itemOf(step, records.get(id), resolve)] : [];
  });
}

/** Fills the `${{ }}` of an action's input (params, environment) for the expectation shown. */
export type Resolve = (value: unknown) => unknown;

function itemOf(step: Step, record: StepRecord | undefined, resolve: Resolve): ChecklistItem {
  const lines = record ? reportedLines(record.stdout) : {};
  const outputs = record?.outputs ?? {};
  // A sql step's own `value` output is the first column: name it, so "5" reads "used_pct: 5".
  const value =
    (step.action.kind === 'sql' ? adapterValue(step, outputs) : undefined) ??
    text(outputs['value']) ??
    lines.value ??
    adapterValue(step, outputs) ??
    foundInMessage(record?.status === 'failed' ? record.message : undefined) ??
    '';
  const expect = text(outputs['expect']) ?? lines.expect ?? staticExpectation(step, resolve);
  const reported = (text(outputs['verdict']) ?? lines.verdict ?? '').toLowerCase();
  const base = { id: step.id, title: step.title ?? step.id, value, expect };
  if (!record) return { ...base, verdict: 'not-run', note: 'not run: the checklist stopped before it' };
  switch (record.status) {
    case 'succeeded':
      if (reported === 'warn') return { ...base, verdict: 'warn', note: '' };
      if (reported === 'fail') return { ...base, verdict: 'fail', note: 'the check reported fail' };
      return { ...base, verdict: 'pass', note: '' };
    case 'failed':
    case 'timed-out':
    case 'cancelled':
    case 'rollback-failed':
      return { ...base, verdict: 'fail', note: firstLine(record.message ?? record.status) };
    case 'skipped':
      return { ...base, verdict: 'skip', note: skipNote(record.message ?? '') };
    case 'planned':
      return { ...base, verdict: 'planned', note: 'dry run: not measured' };
    case 'awaiting-confirmation':
      return { ...base, verdict: 'not-run', note: firstLine(record.message ?? 'not confirmed') };
    case 'pending':
    case 'running':
    case 'rolling-back':
    case 'rolled-back':
      return { ...base, verdict: 'not-run', note: `ended ${record.status}` };
    default:
      return unreachableStatus(record.status);
  }
}

function unreachableStatus(status: never): never {
  throw new Error(`unexpected step status ${String(status)}`);
}

export function countVerdicts(items: readonly ChecklistItem[]): ChecklistCounts {
  const count = (v: Verdict): number => items.filter((i) => i.verdict === v).length;
  return { pass: count('pass'), warn: count('warn'), fail: count('fail'), skip: count('skip'), planned: count('planned'), notRun: count('not-run') };
}

/** "7 items: 5 pass, 1 warn, 1 fail, 0 skipped" */
export function summaryLine(items: readonly ChecklistItem[]): string {
  const c = countVerdicts(items);
  const parts = [`${c.pass} pass`, `${c.warn} warn`, `${c.fail} fail`, `${c.skip} skipped`];
  if (c.planned) parts.push(`${c.planned} planned`);
  if (c.notRun) parts.push(`${c.notRun} not run`);
  return `${items.length} item${items.length === 1 ? '' : 's'}: ${parts.join(', ')}`;
}

/** The last `value: …`, `expect: …` and `verdict: …` lines a check printed. */
export function reportedLines(stdout: string): { value?: string; expect?: string; verdict?: string } {
  const out: { value?: string; expect?: string; verdict?: string } = {};
  for (const line of stdout.split(/\r?\n/)) {
    const match = /^(value|expect|verdict):\s?(.*)$/.exec(line.trimEnd());
    if (match?.[1] === 'value' || match?.[1] === 'expect' || match?.[1] === 'verdict') out[match[1]] = match[2] ?? '';
  }
  return out;
}

function adapterValue(step: Step, outputs: Readonly<Record<string, unknown>>): string | undefined {
  switch (step.action.kind) {
    case 'http':
      return outputs['status'] === undefined ? undefined : `HTTP ${text(outputs['status']) ?? ''}`;
    case 'sql': {
      const row = record(outputs['row']);
      const column = row ? Object.keys(row)[0] : undefined;
      const value = text(outputs['value']);
      if (value !== undefined) return column ? `${column}: ${value}` : value;
      return outputs['count'] === undefined ? undefined : `${text(outputs['count']) ?? ''} rows`;
    }
    case 'manual':
      return text(outputs['note']) ?? text(outputs['choice']);
    default:
      return undefined;
  }
}

/** What the action itself promises to check, in words. */
export function staticExpectation(step: Step, resolve: Resolve = (v) => v): string {
  const resolved = resolve(step.action.input);
  const input = record(resolved) ?? step.action.input;
  switch (step.action.kind) {
    case 'http': {
      const expect = record(input['expect']);
      const status = expect?.['status'];
      const parts = [status === undefined ? 'HTTP 2xx' : `HTTP ${Array.isArray(status) ? status.join(' or ') : String(status)}`];
      if (expect?.['body_contains'] !== undefined) parts.push(`body contains ${JSON.stringify(expect['body_contains'])}`);
      return parts.join(', ');
    }
    case 'sql': {
      const expect = record(input['expect']);
      if (!expect) return 'the query succeeds';
      return Object.entries(expect).map(([key, v]) => sqlExpectation(key, text(v) ?? '')).join(', ');
    }
    case 'manual':
      return 'done';
    default:
      return '';
  }
}

/**
 * A failed step carries no outputs; the sql and http adapters say what they found in the
 * message ("… expected ≤ 80, found 93"), which is the measured value a checklist shows.
 */
function foundInMessage(message: string | undefined): string | undefined {
  const match = message ? /\bfound ([^,;()]+?)\)?\s*$/.exec(message.split('\n')[0] ?? '') : null;
  return match?.[1];
}

function sqlExpectation(key: string, value: string): string {
  switch (key) {
    case 'min':
      return `>= ${value}`;
    case 'max':
      return `<= ${value}`;
    case 'value':
      return `= ${value}`;
    case 'rows':
      return `${value} rows`;
    case 'min_rows':
      return `at least ${value} rows`;
    case 'max_rows':
      return `at most ${value} rows`;
    default:
      return value;
  }
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function text(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value);
}

/**
 * A check skipped because its source param is empty (`when: ${{ params.X != "" }}` is false) says
 * what to pass instead of showing the raw condition.
 */
export function skipNote(reason: string): string {
  const match = /^`when: \$\{\{\s*params\.(\w+)\s*!=\s*(?:""|'')\s*\}\}` is false$/.exec(reason);
  return match ? `not configured: pass -p ${match[1]}=…` : reason;
}

/**
 * A message's first line; when that line only introduces what follows ("…; last lines of
 * stderr:"), the last non-empty line too: that is the reason a person needs (`down: http://…`).
 */
export function firstLine(message: string): string {
  const lines = message.split('\n');
  const first = (lines[0] ?? message).trimEnd();
  if (!first.endsWith(':')) return first;
  const last = lines.slice(1).map((l) => l.trim()).filter((l) => l !== '').at(-1);
  return last ? `${first} ${last}` : first;
}
