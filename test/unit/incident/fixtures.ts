import type { IncidentPolicyConfig } from '../../../src/config/model';
import type { RunEvent, RunEventBody } from '../../../src/engine/events';
import type { Incident, RunRecord } from '../../../src/state/store';

const MIN = 60_000;
const HOUR = 60 * MIN;

/** The policy of DESIGN.md §6 and seed 004, written out here so tests do not lean on the loader. */
export const policy: IncidentPolicyConfig = {
  severities: {
    P1: { respondMs: 15 * MIN, resolveMs: HOUR },
    P2: { respondMs: HOUR, resolveMs: 4 * HOUR },
    P3: { respondMs: 4 * HOUR, resolveMs: 24 * HOUR },
    P4: { respondMs: 24 * HOUR, resolveMs: 7 * 24 * HOUR, runbook: 'low-priority' },
  },
  escalation: [
    { afterMs: 30 * MIN, to: 'development' },
    { afterMs: 2 * HOUR, to: 'management' },
  ],
};

export const T0 = Date.parse('2026-11-22T03:00:00.000Z');
export const at = (ms: number) => new Date(T0 + ms).toISOString();
export { MIN, HOUR };

export function incident(patch: Partial<Incident> = {}): Incident {
  return { id: 'INC-1', title: 'API down', severity: 'P2', status: 'open', commander: 'ana', startedAt: at(0), runIds: [], ...patch };
}

export function runRecord(patch: Partial<RunRecord> = {}): RunRecord {
  return {
    id: 'run-1',
    runbook: { name: 'rollback', title: 'Roll back', path: '/x/rollback.yaml', hash: 'abc' },
    params: {},
    user: 'ana',
    trigger: 'terminal',
    host: 'h',
    pid: 1,
    opsctlVersion: '0.1.0',
    dryRun: false,
    startedAt: at(0),
    status: 'succeeded',
    approvals: [],
    ...patch,
  };
}

export function events(runId: string, list: readonly [number, RunEventBody][]): RunEvent[] {
  return list.map(([ms, body], i) => ({ ...body, runId, seq: i + 1, ts: at(ms) }) as RunEvent);
}
