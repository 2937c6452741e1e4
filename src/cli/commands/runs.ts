import pc from 'picocolors';
import { loadConfig } from '../../config/load';
import { displayStatus, logLine, noPaint, runDetail, runsTable, type Paint } from '../../state/format-runs';
import { findRun } from '../../state/find-run';
import { isProcessAlive } from '../../state/lock-liveness';
import { openStore } from '../../state/open-store';
import { replay } from '../../state/replay';
import type { DamagedRun, RunRecord, StateStore } from '../../state/store';
import { ExitCode } from '../exit-codes';
import type { RunEvent } from '../../engine/events';
import { didYouMeanHint } from '../../runbook/did-you-mean';
import { OpsctlError, usageError } from '../../util/errors';
import { hostname } from 'node:os';
import { loaderOutput as outputFormat, type LoaderOutput as OutputFormat } from './output-format';

interface OutputOptions {
  output?: string;
}

/** `opsctl runs list [--limit N] [--runbook NAME]`: newest first. */
export async function list(options: OutputOptions & { limit?: string; runbook?: string; all?: boolean }): Promise<void> {
  const limit = options.all ? undefined : parseLimit(options.limit ?? '20');
  await withStore(options.output, async (store, format) => {
    const runs = await store.listRuns({ ...(limit !== undefined ? { limit } : {}), ...(options.runbook ? { runbook: options.runbook } : {}) });
    // A damaged record stays in the audit history: listed with what is wrong, never dropped.
    const damaged = (await store.damagedRuns?.()) ?? [];
    if (format === 'json') {
      print(JSON.stringify({ type: 'run.list', runs: runs.map((run) => ({ ...run, displayStatus: displayStatus(run, isAlive) })), damaged }));
    } else {
      const paint = paintFor(format);
      if (runs.length === 0 && options.runbook) {
        print([await noRunsOf(store, options.runbook), ...damagedLines(damaged, true, paint)].join('\n'));
        return;
      }
      const table = runs.length > 0 || damaged.length === 0 ? runsTable(runs, (run) => displayStatus(run, isAlive), paint) : [];
      print([...table, ...damagedLines(damaged, table.length > 0, paint)].join('\n'));
    }
  });
}

/** `opsctl runs show RUN_ID`: the audit record and how each step ended. */
export async function show(name: string, options: OutputOptions): Promise<void> {
  await withStore(options.output, async (store, format) => {
    const run = await findRunOrDamaged(store, name);
    if ('problem' in run) {
      throw new OpsctlError(`the record of run ${run.id} is damaged: ${run.problem}`, ExitCode.Usage, `its journal may still be whole: \`opsctl runs logs ${run.id}\``);
    }
    const replayed = replay(await store.readEvents(run.id));
    const status = displayStatus(run, isAlive);
    if (format === 'json') {
      print(JSON.stringify({ type: 'run.show', run, displayStatus: status, steps: [...replayed.steps.values()] }));
    } else {
      print(runDetail(run, status, replayed, paintFor(format)).join('\n'));
    }
  });
}

/** `opsctl runs logs RUN_ID [--step ID]`: the journal, as lines or as the NDJSON events themselves. */
export async function logs(name: string, options: OutputOptions & { step?: string }): Promise<void> {
  await withStore(options.output, async (store, format) => {
    const run = await findRunOrDamaged(store, name);
    const all = (await store.readEvents(run.id)).sort((a, b) => a.seq - b.seq);
    const events = all.filter((e) => !options.step || ('step' in e && (e.step === options.step || e.step?.startsWith(`${options.step}/`))));
    if (options.step && events.length === 0) throw noSuchStep(run.id, options.step, all);
    if (format === 'json') {
      print(events.map((e) => JSON.stringify(e)).join('\n'));
      return;
    }
    const paint = paintFor(format);
    print(events.map((e) => logLine(e, paint)).join('\n'));
  });
}

export default list;

/** `runs list --runbook NAME` found nothing: say so for that name, and which runbooks do have runs. */
async function noRunsOf(store: StateStore, runbook: string): Promise<string> {
  const names = [...new Set((await store.listRuns()).map((run) => run.runbook.name))].sort();
  if (names.length === 0) return 'No runs recorded yet. Runs appear here after `opsctl run RUNBOOK`.';
  const hint = didYouMeanHint(runbook, names);
  return [`No runs of \`${runbook}\` are recorded.${hint ? ` ${hint[0]!.toUpperCase()}${hint.slice(1)}` : ''}`, `Runbooks with recorded runs: ${names.join(', ')}.`].join('\n');
}

/** `runs logs RUN --step NAME` where the run has no such step: name its steps. */
function noSuchStep(runId: string, step: string, events: readonly RunEvent[]): OpsctlError {
  const steps = [...new Set(events.flatMap((e) => ('step' in e && typeof e.step === 'string' ? [e.step] : [])))];
  const hint = didYouMeanHint(step, steps);
  return new OpsctlError(
    `run ${runId} has no step \`${step}\`${steps.length > 0 ? `; its steps: ${steps.join(', ')}` : ' (its journal names no step)'}`,
    ExitCode.Usage,
    hint,
  );
}

function damagedLines(damaged: readonly DamagedRun[], afterTable: boolean, paint: Paint): string[] {
  if (damaged.length === 0) return [];
  return [
    ...(afterTable ? [''] : []),
    paint.red(`${damaged.length === 1 ? '1 run record is' : `${damaged.length} run records are`} damaged${afterTable ? ' (not in the table above)' : ''}; the journal may still be whole:`),
    ...damaged.map((d) => `${d.id}  record damaged: ${d.problem}; see \`opsctl runs logs ${d.id}\``),
  ];
}

/** The named run, or the damaged record it names (exact id or unique prefix) when no readable run matches. */
async function findRunOrDamaged(store: StateStore, name: string): Promise<RunRecord | DamagedRun> {
  try {
    return await findRun(store, name);
  } catch (error) {
    if (name === 'last' || !(error instanceof OpsctlError)) throw error;
    const damaged = ((await store.damagedRuns?.()) ?? []).filter((d) => d.id === name || d.id.startsWith(name));
    if (damaged.length === 1 && damaged[0]) return damaged[0];
    throw error;
  }
}

/** A `running` record is alive only if its process still exists (on this host) — elsewhere we trust it. */
function isAlive(run: RunRecord): boolean {
  return run.host !== hostname() || isProcessAlive(run.pid);
}

function parseLimit(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw usageError(`--limit must be a whole number above 0, not \`${text}\``);
  return n;
}

export function paintFor(format: OutputFormat): Paint {
  if (format !== 'pretty') return noPaint;
  const c = pc.createColors(pc.isColorSupported && process.stdout.isTTY === true);
  return { bold: c.bold, dim: c.dim, red: c.red, green: c.green, yellow: c.yellow, cyan: c.cyan };
}

function print(text: string): void {
  if (text !== '') process.stdout.write(`${text}\n`);
}

/** Loads config, opens the store, runs `fn`, always closes the store. */
export async function withStore<T>(output: string | undefined, fn: (store: StateStore, format: OutputFormat) => Promise<T>): Promise<T> {
  const format = outputFormat(output);
  const store = await openStore(await loadConfig());
  try {
    return await fn(store, format);
  } finally {
    await store.close();
  }
}
