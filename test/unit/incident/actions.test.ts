import { describe, expect, it } from 'vitest';
import { addNote, attachRun, changeSeverity, markMitigated, newIncidentId, recordEscalations, reopenIncident, resolveIncident, startIncident, type IncidentDeps } from '../../../src/incident/actions';
import { selectForReview, selectIncident } from '../../../src/incident/select';
import type { Clock } from '../../../src/util/clock';
import { OpsctlError } from '../../../src/util/errors';
import { HOUR, MIN, T0, at, policy } from './fixtures';
import { MemoryStore } from './memory-store';

function setup(user = 'ana') {
  let now = T0;
  const clock: Clock = { now: () => now, sleep: async () => {} };
  const store = new MemoryStore();
  const deps: IncidentDeps = { store, clock, policy, user };
  return { store, deps, advance: (ms: number) => (now += ms) };
}

describe('incident actions', () => {
  it('starts an acknowledged incident and records who opened it', async () => {
    const { store, deps } = setup();
    const incident = await startIncident(deps, { severity: 'P2', title: 'API 500s', detectedAt: T0 - 7 * MIN });
    expect(incident).toMatchObject({ severity: 'P2', status: 'open', commander: 'ana', startedAt: at(-7 * MIN), acknowledgedAt: at(0) });
    expect(incident.id).toMatch(/^INC-20261122-[0-9a-z]{4}$/);
    expect(await store.getIncident(incident.id)).toEqual(incident);
    expect(store.entries.map((e) => [e.kind, e.at, e.actor])).toEqual([
      ['opened', at(-7 * MIN), 'ana'],
      ['acknowledged', at(0), 'ana'],
    ]);
  });

  it('refuses a detection time in the future', async () => {
    const { deps } = setup();
    await expect(startIncident(deps, { severity: 'P3', title: 'x', detectedAt: T0 + MIN })).rejects.toThrow(/in the future/);
  });

  it('records notes, severity changes, mitigation and resolution with the acting user', async () => {
    const { store, deps, advance } = setup();
    const incident = await startIncident(deps, { severity: 'P2', title: 'API 500s', commander: 'ic-dana' });
    advance(5 * MIN);
    await addNote({ ...deps, user: 'bo' }, incident, '  check the connection pool  ');
    advance(5 * MIN);
    const change = await changeSeverity(deps, incident, 'P1');
    expect(change).toMatchObject({ type: 'raised', from: 'P2', incident: { severity: 'P1' } });
    expect(await changeSeverity(deps, (await store.getIncident(incident.id))!, 'P1')).toEqual({ type: 'unchanged' });
    advance(10 * MIN);
    const mitigated = await markMitigated(deps, (await store.getIncident(incident.id))!);
    expect(mitigated.mitigatedAt).toBe(at(20 * MIN));
    advance(9 * MIN);
    const resolved = await resolveIncident(deps, mitigated, { summary: 'rolled back 1.2.3', rootCause: 'pool exhausted' });
    expect(resolved).toMatchObject({ status: 'resolved', resolvedAt: at(29 * MIN), summary: 'rolled back 1.2.3', rootCause: 'pool exhausted' });
    expect(store.entries.map((e) => [e.kind, e.actor, e.text])).toEqual([
      ['opened', 'ana', 'opened as P2: API 500s'],
      ['acknowledged', 'ana', 'acknowledged; commander ic-dana'],
      ['note', 'bo', 'check the connection pool'],
      ['severity', 'ana', 'severity P2 → P1'],
      ['mitigated', 'ana', 'mitigated: impact stopped'],
      ['resolved', 'ana', 'resolved: rolled back 1.2.3'],
    ]);
    // F50: action items written after the resolution are allowed, and marked as such.
    const late = await addNote(deps, resolved, 'add an alert on pool usage');
    expect(late).toMatchObject({ kind: 'note', text: '(after resolution) add an alert on pool usage', data: { afterResolution: true } });
    await expect(markMitigated(deps, resolved)).rejects.toThrow('is resolved; cannot mark it as mitigated');
  });

  it('reopens a resolved incident on the same timeline; its resolution is cleared (F50)', async () => {
    const { store, deps, advance } = setup();
    const incident = await startIncident(deps, { severity: 'P2', title: 'API 500s' });
    advance(30 * MIN);
    const resolved = await resolveIncident(deps, incident, { summary: 'restarted', rootCause: 'leak' });
    await expect(reopenIncident(deps, incident, 'again')).rejects.toThrow(/open already/);
    advance(10 * MIN);
    const reopened = await reopenIncident({ ...deps, user: 'bo' }, resolved, ' 500s are back ');
    expect(reopened).toMatchObject({ status: 'open', id: incident.id });
    expect(reopened.resolvedAt).toBeUndefined();
    const stored = await store.getIncident(incident.id);
    expect(stored?.status).toBe('open');
    expect(stored?.resolvedAt).toBeUndefined();
    expect(stored?.summary).toBeUndefined();
    expect(store.entries.at(-1)).toMatchObject({ kind: 'opened', actor: 'bo', text: 'reopened: 500s are back', at: at(40 * MIN) });
    await expect(reopenIncident(deps, reopened, 'x')).rejects.toThrow(/open already/);
  });

  it('says when a severity is lowered', async () => {
    const { deps } = setup();
    const incident = await startIncident(deps, { severity: 'P1', title: 'x' });
    expect(await changeSeverity(deps, incident, 'P3')).toMatchObject({ type: 'lowered', from: 'P1' });
  });

  it('rejects empty notes and summaries as usage errors', async () => {
    const { deps } = setup();
    const incident = await startIncident(deps, { severity: 'P4', title: 'x' });
    const error = await addNote(deps, incident, '   ').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpsctlError);
    expect((error as OpsctlError).exitCode).toBe(2);
    await expect(resolveIncident(deps, incident, { summary: '' })).rejects.toThrow(/summary is empty/);
  });

  it('attaches runs to the incident', async () => {
    const { store, deps } = setup();
    const incident = await startIncident(deps, { severity: 'P2', title: 'x' });
    const updated = await attachRun(deps, incident, 'run-9', 'rollback');
    expect(updated.runIds).toEqual(['run-9']);
    expect((await store.getIncident(incident.id))?.runIds).toEqual(['run-9']);
    expect(store.entries.at(-1)).toMatchObject({ kind: 'run', data: { runId: 'run-9', runbook: 'rollback' } });
  });

  it('puts each escalation on the timeline once, at the time it was due', async () => {
    const { store, deps, advance } = setup();
    const incident = await startIncident(deps, { severity: 'P2', title: 'x' });
    advance(29 * MIN);
    expect(await recordEscalations(deps, incident)).toEqual([]);
    advance(2 * HOUR);
    expect(await recordEscalations(deps, incident)).toEqual(['development', 'management']);
    expect(await recordEscalations(deps, incident)).toEqual([]);
    const escalations = store.entries.filter((e) => e.kind === 'escalated');
    expect(escalations.map((e) => [e.at, e.actor, e.text])).toEqual([
      [at(30 * MIN), 'opsctl', 'escalation level 1: development'],
      [at(2 * HOUR), 'opsctl', 'escalation level 2: management'],
    ]);
  });

  it('makes ids from the day and a random suffix', () => {
    expect(newIncidentId(T0, () => 0.5)).toBe('INC-20261122-iiii');
  });
});

describe('choosing the incident', () => {
  it('takes the only open incident, or the one named', async () => {
    const { deps } = setup();
    const a = await startIncident(deps, { severity: 'P2', title: 'a' });
    expect((await selectIncident(deps.store, undefined)).id).toBe(a.id);
    expect((await selectIncident(deps.store, a.id)).id).toBe(a.id);
  });

  it('refuses with exit 2 and lists them when several are open', async () => {
    const { deps } = setup();
    const a = await startIncident(deps, { severity: 'P2', title: 'first' });
    const b = await startIncident(deps, { severity: 'P3', title: 'second' });
    const error = (await selectIncident(deps.store, undefined).catch((e: unknown) => e)) as OpsctlError;
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(/2 incidents are open.*--id/);
    expect(error.hint).toContain(a.id);
    expect(error.hint).toContain(b.id);
  });

  it('says how to start one when none is open, and names the open ones for a wrong id', async () => {
    const { deps } = setup();
    await expect(selectIncident(deps.store, undefined)).rejects.toThrow(/no open incident/);
    const a = await startIncident(deps, { severity: 'P2', title: 'a' });
    const error = (await selectIncident(deps.store, 'INC-nope').catch((e: unknown) => e)) as OpsctlError;
    expect(error.message).toBe('no incident `INC-nope`');
    expect(error.hint).toContain(a.id);
  });
});

describe('choosing the incident to review', () => {
  it('takes the newest incident once none is open, and still refuses with several open', async () => {
    const { deps, advance } = setup();
    const a = await startIncident(deps, { severity: 'P2', title: 'a' });
    advance(MIN);
    const b = await startIncident(deps, { severity: 'P3', title: 'b' });
    await expect(selectForReview(deps.store, undefined)).rejects.toThrow(/2 incidents are open/);
    advance(MIN);
    await resolveIncident(deps, b, { summary: 'done' });
    expect((await selectForReview(deps.store, undefined)).id).toBe(a.id);
    advance(MIN);
    await resolveIncident(deps, a, { summary: 'done' });
    expect((await selectForReview(deps.store, undefined)).id).toBe(a.id);
    expect((await selectForReview(deps.store, b.id)).id).toBe(b.id);
  });
});
