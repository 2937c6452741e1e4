import { loadConfig } from '../../config/load';
import { findRun } from '../../state/find-run';
import { openStore } from '../../state/open-store';
import { resumeSource } from '../../state/resume-source';
import { REDACTED } from '../../state/redactor';
import { givenSecretParams } from '../../state/secrets';
import { parseDuration } from '../../util/duration';
import { OpsctlError, usageError } from '../../util/errors';
import { ExitCode } from '../exit-codes';
import { createRunHooks } from '../run-hooks';
import { runSession, type RunRequest } from '../run-session';
import type { StateHookOptions } from '../../state/session-hooks';
import type { RunRecord, StateStore } from '../../state/store';

export interface ResumeFlags {
  param?: string[];
  yes?: boolean;
  approve?: string[];
  output?: string;
  report?: string;
  concurrency?: string;
  rerunInterrupted?: boolean;
  force?: boolean;
  waitLock?: string;
}

/**
 * `opsctl resume RUN_ID`: runs the same runbook again with the same params and environment;
 * steps that succeeded (in that run or the runs it resumed) are skipped with their outputs
 * restored. A step that was running when the run stopped reruns only if `idempotent: true`,
 * else it is a gate (`--rerun-interrupted`, `--approve STEP`, or a prompt). A changed runbook
 * refuses (exit 5) unless `--force`.
 */
export default async function resume(name: string, flags: ResumeFlags): Promise<void> {
  const config = await loadConfig();
  const store = await openStore(config);
  let prepared: PreparedResume;
  try {
    prepared = await prepareResume(store, await findRun(store, name, { skipDryRuns: true }), flags);
  } finally {
    await store.close();
  }
  if (prepared.incidentId) {
    // A run of an incident's runbook: `incident.*` comes back and the resumed run joins the timeline.
    const { resumeOnIncident } = await import('./incident-resume');
    await resumeOnIncident(prepared.incidentId, prepared, flags.output);
    return;
  }
  await runSession(prepared.request, await createRunHooks(prepared.hookOptions));
}

export interface PreparedResume {
  readonly request: RunRequest;
  readonly hookOptions: StateHookOptions;
  /** The incident the resumed run belonged to. */
  readonly incidentId?: string;
}

/** Checks that `record` can be resumed and builds the request and hook options that resume it. */
export async function prepareResume(store: StateStore, record: RunRecord, flags: ResumeFlags): Promise<PreparedResume> {
  if (record.rollbackOf) {
    throw new OpsctlError(
      `run ${record.id} is the rollback of run ${record.rollbackOf}; a rollback is not resumed`,
      ExitCode.ResumeRefused,
      `run \`opsctl rollback --run ${record.rollbackOf}\` again: the undos that already succeeded are not run twice`,
    );
  }
  const source = await resumeSource(store, record);
  const request: RunRequest = {
    target: record.runbook.path.startsWith('<') ? record.runbook.name : record.runbook.path,
    params: [...paramFlags(record.params), ...(flags.param ?? [])],
    givenAgain: { fromRunId: record.id, names: givenSecretParams(record.params) },
    ...(record.environment ? { env: record.environment } : {}),
    ...(flags.yes ? { yes: true } : {}),
    ...(flags.approve ? { approve: flags.approve } : {}),
    ...(flags.output ? { output: flags.output } : {}),
    ...(flags.report ? { report: flags.report } : {}),
    ...(flags.concurrency ? { concurrency: flags.concurrency } : {}),
    ...(flags.rerunInterrupted ? { rerunInterrupted: true } : {}),
  };
  const hookOptions: StateHookOptions = {
    resume: { fromRunId: record.id, completed: source.completed, interrupted: source.interrupted },
    expectedHash: record.runbook.hash,
    ...(flags.force ? { force: true } : {}),
    ...(flags.waitLock ? { waitLockMs: waitLockMs(flags.waitLock) } : {}),
    ...(record.incidentId ? { incidentId: record.incidentId } : {}),
  };
  return { request, hookOptions, ...(record.incidentId ? { incidentId: record.incidentId } : {}) };
}

/**
 * The params the run was started with, as `-p` flags. Secret params were never journaled (they
 * read `***`): they are left out, so the session asks for them again or names the flag to pass.
 */
export function paramFlags(params: Readonly<Record<string, unknown>>): string[] {
  const flags: string[] = [];
  for (const [key, value] of Object.entries(params)) {
    if (value === REDACTED || value === undefined || value === null) continue;
    flags.push(`${key}=${typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value)}`);
  }
  return flags;
}

export function waitLockMs(text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined) throw usageError(`--wait-lock ${text}: expected a duration such as 30s, 5m or 1h`);
  return ms;
}
