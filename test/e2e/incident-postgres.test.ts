import { afterAll, beforeAll, expect, it } from 'vitest';
import { adminQuery, describePg, uniqueName, urlWithSchema } from '../support/pg';
import { runOpsctl, tempProject } from './helpers';

/** The same incident commands on the team-wide postgres backend (DESIGN.md §5). */
const RUNBOOK = `apiVersion: opsctl/v1
kind: Runbook
name: fallback
title: Serve the fallback
lock: false
steps:
  - id: mitigate
    shell: echo "fallback for \${{ incident.id }}"
`;

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const first = (text: string): Json => JSON.parse(text.split('\n')[0] ?? '') as Json;

describePg('incidents on the postgres state backend', () => {
  const schema = uniqueName('opsctl_incident');
  let project: { dir: string; cleanup: () => void };
  beforeAll(() => {
    project = tempProject({
      'opsctl.yaml': `runbooks: [./runbooks]\nstate: { backend: postgres, url: "${urlWithSchema(schema)}" }\n`,
      'runbooks/fallback.yaml': RUNBOOK,
    });
  });
  afterAll(async () => {
    project.cleanup();
    await adminQuery(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  });
  const opsctl = (args: readonly string[], user = 'ana@example.com') =>
    runOpsctl(['-C', project.dir, 'incident', ...args], { env: { OPSCTL_USER: user, CI: '1' } });

  it('keeps the incident, its notes, its runs and its resolution, and refuses ambiguity', async () => {
    const started = await opsctl(['start', '--severity', 'P2', '--title', 'Orders stuck', '--no-runbook', '--output', 'json']);
    expect(started.stderr).toBe('');
    const id = first(started.stdout).incident.id as string;
    expect((await opsctl(['note', 'queue depth 12k'], 'bo@example.com')).code).toBe(0);
    expect((await opsctl(['severity', 'P1'])).code).toBe(0);
    const run = await opsctl(['run', 'fallback', '--output', 'json']);
    expect(run.code).toBe(0);
    const runId = first(run.stdout).runId as string;

    const other = first((await opsctl(['start', '--severity', 'P4', '--title', 'Typo', '--no-runbook', '--output', 'json'])).stdout).incident.id as string;
    const ambiguous = await opsctl(['status']);
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toContain(id);
    expect(ambiguous.stderr).toContain(other);

    const resolved = first((await opsctl(['resolve', '--id', id, '--summary', 'Drained the queue', '--output', 'json'])).stdout).incident as Json;
    expect(resolved).toMatchObject({ status: 'resolved', severity: 'P1', runIds: [runId] });
    expect(resolved.mitigatedAt).toBeTruthy();

    const pm = first((await opsctl(['postmortem', id, '--output', 'json'])).stdout).postmortem as Json;
    expect(pm.initial_severity).toBe('P2');
    expect(pm.action_items).toEqual([expect.objectContaining({ actor: 'bo@example.com', text: 'queue depth 12k' })]);
    const texts = (pm.timeline as Json[]).map((t) => t.text as string);
    expect(texts).toContain('severity P2 → P1');
    expect(texts.some((t) => t.startsWith('`mitigate` succeeded'))).toBe(true);
    expect((pm.times as Json[]).find((t) => t.name === 'mitigate')?.at).toBe(resolved.mitigatedAt);
  });
});
