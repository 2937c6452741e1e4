import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runOpsctl, tempProject } from './helpers';

/**
 * Incidents as a process sees them: the clock is fixed with OPSCTL_NOW, so an SLA breach and
 * an escalation appear without waiting. Every incident here starts with --no-runbook.
 */
const T0 = '2026-11-22T03:00:00.000Z';
const plus = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();

let project: { dir: string; cleanup: () => void };
beforeEach(() => {
  project = tempProject({ 'opsctl.yaml': 'state: { backend: file }\n' });
});
afterEach(() => project.cleanup());

const opsctl = (args: readonly string[], minutes = 0, user = 'ana@example.com') =>
  runOpsctl(['-C', project.dir, 'incident', ...args], { env: { OPSCTL_NOW: plus(minutes), OPSCTL_USER: user, CI: '1' } });

/** OPSCTL_NOW fixes the start of the process's clock; it then runs on, so allow a few seconds. */
const about = (ms: number) => expect.closeTo(ms, -4);

async function start(severity: string, title: string, minutes = 0, extra: readonly string[] = []): Promise<string> {
  const result = await opsctl(['start', '--severity', severity, '--title', title, '--no-runbook', '--output', 'json', ...extra], minutes);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const first = JSON.parse(result.stdout.split('\n')[0] ?? '') as { type: string; incident: { id: string } };
  expect(first.type).toBe('incident.started');
  return first.incident.id;
}

interface StatusJson {
  type: string;
  elapsedMs: number;
  respond: { state: string; remainingMs: number };
  resolve: { state: string; remainingMs: number };
  breached: { name: string }[];
  escalation: { level: number; to: string };
  nextEscalation?: { to: string; dueInMs: number; dueAt: string };
}

describe('incident SLA and escalation with an injected clock', () => {
  it('shows time left, then the escalation to development, then a resolve breach', async () => {
    const id = await start('P1', 'Checkout down');

    const early = await opsctl(['status'], 10);
    expect(early.code).toBe(0);
    expect(early.stdout).toContain(`${id}  P1  open  Checkout down`);
    expect(early.stdout).toContain('respond within 15m: met (acknowledged after 0ms)');
    expect(early.stdout).toContain('resolve within 1h: 50m left (due 04:00:00Z)');
    expect(early.stdout).toContain('escalation: operations (level 0) · next: development in 20m (at 03:30:00Z)');
    expect(early.stdout).not.toContain('BREACH');

    const reached = await opsctl(['status'], 44);
    expect(reached.stderr).toBe(`escalation: ${id} has reached development; bring them in (see \`opsctl incident status\`)\n`);
    expect(reached.stdout).toContain('escalation: development (level 1)');

    const escalated = JSON.parse((await opsctl(['status', '--output', 'json'], 45)).stdout) as StatusJson;
    expect(escalated.type).toBe('incident.status');
    expect(escalated.elapsedMs).toEqual(about(45 * 60_000));
    expect(escalated.escalation).toMatchObject({ level: 1, to: 'development' });
    expect(escalated.nextEscalation).toMatchObject({ to: 'management', dueInMs: about(75 * 60_000) });
    expect(Date.parse(escalated.nextEscalation?.dueAt ?? '')).toEqual(about(Date.parse(plus(120))));
    expect(escalated.breached).toEqual([]);

    const late = await opsctl(['status'], 70);
    expect(late.stderr).toBe('');
    expect(late.stdout).toContain('resolve within 1h: BREACHED 10m ago (was due 04:00:00Z)');
    expect(late.stdout).toContain('BREACH: resolve target of 1h exceeded by 10m');
    expect(late.stdout).toContain('escalation: development (level 1) · next: management in 50m');
    const lateJson = JSON.parse((await opsctl(['status', '--output', 'json'], 70)).stdout) as StatusJson;
    expect(lateJson.resolve).toMatchObject({ state: 'breached', remainingMs: about(-10 * 60_000) });
    expect(lateJson.breached.map((b) => b.name)).toEqual(['resolve']);
  });

  it('puts each escalation on the timeline once, at the time it was due', async () => {
    await start('P2', 'Search slow');
    await opsctl(['status'], 40);
    await opsctl(['note', 'still slow'], 130);
    await opsctl(['status'], 140);
    const pm = JSON.parse((await opsctl(['postmortem', '--output', 'json'], 150)).stdout) as {
      postmortem: { started_at: string; timeline: { at: string; actor: string; kind: string; text: string }[] };
    };
    const started = Date.parse(pm.postmortem.started_at);
    const escalations = pm.postmortem.timeline.filter((t) => t.kind === 'escalated');
    expect(escalations).toEqual([
      expect.objectContaining({ at: new Date(started + 30 * 60_000).toISOString(), actor: 'opsctl', text: 'escalation level 1: development' }),
      expect.objectContaining({ at: new Date(started + 120 * 60_000).toISOString(), actor: 'opsctl', text: 'escalation level 2: management' }),
    ]);
  });

  it('counts the response from the detection time and reports a late acknowledgement', async () => {
    await start('P1', 'Payments failing', 0, ['--detected-at', '20m']);
    const status = await opsctl(['status'], 1);
    expect(status.stdout).toContain('respond within 15m: missed (acknowledged after 20m, 5m late)');
    expect(status.stdout).toContain('BREACH: respond target of 15m exceeded (acknowledged 5m late)');
    expect(status.stdout).toContain('elapsed 21m');
  });

  it('rejects a bad severity or a missing title with exit 2', async () => {
    const bad = await opsctl(['start', '--severity', 'P7', '--title', 'x', '--no-runbook']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown severity `P7`');
    const untitled = await opsctl(['start', '--severity', 'P2', '--no-runbook']);
    expect(untitled.code).toBe(2);
    expect(untitled.stderr).toContain('needs `--title TEXT`');
  });

  it('never prompts without a terminal, even outside CI: a missing flag is named instead', async () => {
    const result = await runOpsctl(['-C', project.dir, 'incident', 'start', '--no-runbook'], { env: { CI: undefined }, timeoutMs: 10_000 });
    expect(result.signal).toBeNull();
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('needs `--severity P1..P4`');
  });
});

describe('several open incidents', () => {
  it('refuses commands without --id (exit 2) and lists the open ones', async () => {
    const a = await start('P2', 'API errors');
    const b = await start('P3', 'Slow reports', 1);
    for (const args of [['status'], ['note', 'x'], ['severity', 'P1'], ['mitigated'], ['resolve', '--summary', 'x']]) {
      const result = await opsctl(args, 2);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toContain('2 incidents are open; say which one with `--id ID`');
      expect(result.stderr).toContain(`${a}  P2  open`);
      expect(result.stderr).toContain(`${b}  P3  open`);
      expect(result.stdout).toBe('');
    }
    const chosen = await opsctl(['note', 'pool at 100%', '--id', b], 3);
    expect(chosen.code).toBe(0);
    expect(chosen.stdout).toContain(`noted on ${b}`);
    const list = await opsctl(['list', '--output', 'json'], 3);
    const ids = (JSON.parse(list.stdout) as { incidents: { id: string }[] }).incidents.map((i) => i.id);
    expect(ids).toEqual([b, a]);
  });
});
