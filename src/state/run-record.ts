import { execFile, spawnSync } from 'node:child_process';
import { hostname, userInfo } from 'node:os';
import type { Runbook } from '../runbook/model';
import type { RunRecord } from './store';
import { VERSION } from '../cli/version';

/**
 * Who runs opsctl (DESIGN.md §5): `OPSCTL_USER`, else `git config user.email`, else the OS user.
 * The person is named the same way in run records, lock holders, approvals and incidents.
 */
export function currentUser(env: Readonly<Record<string, string | undefined>> = process.env, cwd = process.cwd()): string {
  const explicit = env.OPSCTL_USER?.trim();
  if (explicit) return explicit;
  const git = spawnSync('git', ['config', 'user.email'], { cwd, encoding: 'utf8', timeout: 2000, stdio: ['ignore', 'pipe', 'ignore'] });
  return (git.status === 0 ? git.stdout.trim() : '') || osUser(env);
}

/**
 * The same, without waiting: a run asks git while it reads its config and runbook (`git config`
 * takes a few milliseconds to start). Never rejects.
 */
export function currentUserAsync(env: Readonly<Record<string, string | undefined>> = process.env, cwd = process.cwd()): Promise<string> {
  const explicit = env.OPSCTL_USER?.trim();
  if (explicit) return Promise.resolve(explicit);
  return new Promise((resolve) => {
    try {
      execFile('git', ['config', 'user.email'], { cwd, encoding: 'utf8', timeout: 2000 }, (error, stdout) => resolve((error ? '' : stdout.trim()) || osUser(env)));
    } catch {
      resolve(osUser(env));
    }
  });
}

function osUser(env: Readonly<Record<string, string | undefined>>): string {
  try {
    return userInfo().username;
  } catch {
    return env.USER ?? env.LOGNAME ?? 'unknown';
  }
}

/** `ci` when a CI system started us (the `CI` variable every major CI sets), else `terminal`. */
export function currentTrigger(env: Readonly<Record<string, string | undefined>> = process.env): RunRecord['trigger'] {
  const ci = env.CI;
  return ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false' ? 'ci' : 'terminal';
}

export interface NewRunRecord {
  readonly id: string;
  readonly runbook: Pick<Runbook, 'name' | 'title' | 'source'>;
  /** Already redacted (see `redactParams`). */
  readonly params: Readonly<Record<string, unknown>>;
  readonly environment?: string;
  readonly dryRun: boolean;
  readonly startedAt: number;
  readonly user: string;
  readonly trigger: RunRecord['trigger'];
  readonly resumedFrom?: string;
  readonly rollbackOf?: string;
  readonly incidentId?: string;
  readonly lockKey?: string;
}

export function buildRunRecord(input: NewRunRecord): RunRecord {
  return {
    id: input.id,
    runbook: { name: input.runbook.name, title: input.runbook.title, path: input.runbook.source.path, hash: input.runbook.source.hash },
    params: input.params,
    ...(input.environment !== undefined ? { environment: input.environment } : {}),
    user: input.user,
    trigger: input.trigger,
    host: hostname(),
    pid: process.pid,
    opsctlVersion: VERSION,
    dryRun: input.dryRun,
    startedAt: new Date(input.startedAt).toISOString(),
    status: input.dryRun ? 'planned' : 'running',
    approvals: [],
    ...(input.resumedFrom ? { resumedFrom: input.resumedFrom } : {}),
    ...(input.rollbackOf ? { rollbackOf: input.rollbackOf } : {}),
    ...(input.incidentId ? { incidentId: input.incidentId } : {}),
    ...(input.lockKey ? { lockKey: input.lockKey } : {}),
  };
}
