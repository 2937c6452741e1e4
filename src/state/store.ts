import type { RunEvent, RunStatus } from '../engine/events';
import type { SeverityName } from '../config/model';

/** Who started a run and from where: the audit fields of DESIGN.md §5. */
export interface RunRecord {
  readonly id: string;
  readonly runbook: { readonly name: string; readonly title: string; readonly path: string; readonly hash: string };
  /** Secrets already redacted. */
  readonly params: Readonly<Record<string, unknown>>;
  readonly environment?: string;
  readonly user: string;
  readonly trigger: 'terminal' | 'ci';
  readonly host: string;
  readonly pid: number;
  readonly opsctlVersion: string;
  readonly dryRun: boolean;
  readonly startedAt: string;
  readonly endedAt?: string;
  readonly status: RunStatus;
  readonly approvals: readonly Approval[];
  readonly resumedFrom?: string;
  /** `rollback --run X`: the run this one undoes. */
  readonly rollbackOf?: string;
  readonly incidentId?: string;
  readonly lockKey?: string;
  /** Set when the run used the local file backend instead of the configured one (`OPSCTL_STATE=file`): what and why. */
  readonly stateFallback?: string;
}

/** A run whose record cannot be read (a damaged file): listed so it does not vanish from history. */
export interface DamagedRun {
  readonly id: string;
  /** What is wrong, e.g. `run.json is not valid JSON (Unexpected token …)`. */
  readonly problem: string;
}

export interface Approval {
  readonly step: string;
  readonly by: string;
  readonly via: 'prompt' | 'yes' | 'approve';
  readonly at: string;
}

export interface LockHolder {
  readonly key: string;
  readonly runId: string;
  readonly user: string;
  readonly host: string;
  readonly pid: number;
  readonly since: string;
  /** Last heartbeat; a holder whose heartbeat is older than the TTL is presumed dead. */
  readonly heartbeatAt: string;
}

export type LockResult =
  /** `takenOver`: the previous holder had died (dead pid on this host, or an expired heartbeat). */
  | { readonly acquired: true; readonly takenOver?: { readonly holder: LockHolder; readonly reason: 'dead-process' | 'expired' } }
  | { readonly acquired: false; readonly holder: LockHolder };

export interface Incident {
  readonly id: string;
  readonly title: string;
  readonly severity: SeverityName;
  readonly status: 'open' | 'resolved';
  readonly commander: string;
  readonly startedAt: string;
  readonly acknowledgedAt?: string;
  readonly mitigatedAt?: string;
  readonly resolvedAt?: string;
  readonly summary?: string;
  readonly rootCause?: string;
  readonly runIds: readonly string[];
}

/** One line of an incident's own timeline (notes, severity changes); step events come from runs. */
export interface IncidentEntry {
  readonly incidentId: string;
  readonly at: string;
  readonly actor: string;
  readonly kind: 'opened' | 'acknowledged' | 'note' | 'severity' | 'run' | 'mitigated' | 'resolved' | 'escalated';
  readonly text: string;
  readonly data?: Readonly<Record<string, unknown>>;
}

/**
 * Where runs, events, incidents and locks live. The file backend is the embedded default, the
 * postgres backend is team-wide; both pass test/unit/state/store-contract.ts.
 */
export interface StateStore {
  readonly backend: 'file' | 'postgres';
  createRun(run: RunRecord): Promise<void>;
  updateRun(id: string, patch: Partial<Omit<RunRecord, 'id'>>): Promise<void>;
  getRun(id: string): Promise<RunRecord | undefined>;
  /** Newest first. */
  listRuns(options?: { readonly limit?: number; readonly runbook?: string }): Promise<RunRecord[]>;
  /** Appends and makes durable before resolving (fsync for files, commit for postgres). */
  /**
   * Optional: runs whose record exists but cannot be read, which `listRuns`/`getRun` leave out.
   * Backends whose records cannot be damaged piecemeal need not implement it.
   */
  damagedRuns?(): Promise<DamagedRun[]>;
  appendEvents(runId: string, events: readonly RunEvent[]): Promise<void>;
  readEvents(runId: string): Promise<RunEvent[]>;

  createIncident(incident: Incident): Promise<void>;
  updateIncident(id: string, patch: Partial<Omit<Incident, 'id'>>): Promise<void>;
  getIncident(id: string): Promise<Incident | undefined>;
  listIncidents(options?: { readonly status?: Incident['status'] }): Promise<Incident[]>;
  appendIncidentEntry(entry: IncidentEntry): Promise<void>;
  readIncidentEntries(incidentId: string): Promise<IncidentEntry[]>;

  acquireLock(holder: LockHolder): Promise<LockResult>;
  heartbeatLock(key: string, runId: string): Promise<void>;
  releaseLock(key: string, runId: string): Promise<void>;
  /** Release whoever holds it; journaled by the caller with who did it. */
  forceReleaseLock(key: string): Promise<LockHolder | undefined>;
  listLocks(): Promise<LockHolder[]>;
  /**
   * Optional, for backends whose lock can drop under a live holder (postgres: its session ended):
   * resolves while `runId` still holds `key` (after re-taking it, if its session dropped) and
   * rejects saying why it is lost. Cheap enough to call before every step.
   */
  checkLock?(key: string, runId: string): Promise<void>;

  close(): Promise<void>;
}
