import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runOpsctl, tempProject } from './helpers';

/**
 * A whole incident as the on-call engineer lives it, through bin/opsctl: opened at P2, notes,
 * raised to P1, a fix runbook (calling a sub-runbook behind a confirmation) run on the incident,
 * resolved, and a postmortem whose times are the journal's.
 */
const T0 = '2026-11-22T03:00:00.000Z';
const plus = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();

const FIX = `apiVersion: opsctl/v1
kind: Runbook
name: fix-cache
title: Fall back, then restart the app
params:
  reason: { type: string, default: unknown }
lock: false
steps:
  - id: mitigate
    title: Serve the fallback
    shell: echo "fallback on for \${{ incident.id }} at \${{ incident.severity }}"
  - id: restart
    title: Restart the app
    confirm: "Restart the app for \${{ incident.id }}?"
    runbook: { name: restart-app, params: { why: "\${{ params.reason }}" } }
`;
const RESTART = `apiVersion: opsctl/v1
kind: Runbook
name: restart-app
title: Restart the app
params:
  why: { type: string, required: true }
lock: false
steps:
  - id: restart
    shell: echo "restarted because \${{ params.why }}"
`;

let cleanup: (() => void) | undefined;
let server: Server | undefined;
afterEach(async () => {
  cleanup?.();
  cleanup = undefined;
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

function project(extraConfig = ''): string {
  const p = tempProject({
    'opsctl.yaml': `runbooks: [./runbooks]\nstate: { backend: file }\n${extraConfig}`,
    'runbooks/fix-cache.yaml': FIX,
    'runbooks/restart-app.yaml': RESTART,
  });
  cleanup = p.cleanup;
  return p.dir;
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const lines = (text: string): Json[] => text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Json);

describe('an incident from P2 to P1 to resolved', () => {
  it('records notes, the raise, a sub-runbook run and the resolution, and the postmortem’s times match the journal', async () => {
    const dir = project();
    const opsctl = (args: readonly string[], minutes: number, user = 'ana@example.com') =>
      runOpsctl(['-C', dir, 'incident', ...args], { env: { OPSCTL_NOW: plus(minutes), OPSCTL_USER: user, CI: '1' } });

    const started = await opsctl(['start', '--severity', 'P2', '--title', 'Checkout returns 500', '--no-runbook', '--output', 'json'], 0);
    expect(started.code).toBe(0);
    const incident = lines(started.stdout)[0]?.incident as Json;
    const id = incident.id as string;

    expect((await opsctl(['note', 'error rate 40% on /checkout'], 5, 'bo@example.com')).code).toBe(0);

    const raised = await opsctl(['severity', 'P1'], 10);
    expect(raised.code).toBe(0);
    expect(raised.stdout).toContain(`${id}  P1  open  Checkout returns 500`);
    expect(raised.stdout).toContain(`raised to P1: run its runbook with: opsctl incident run incident-p1 --id ${id}`);

    const fix = await opsctl(['run', 'fix-cache', '-p', 'reason=pool exhausted', '--yes', '--output', 'json'], 12);
    expect(fix.stderr).toBe('');
    expect(fix.code).toBe(0);
    const events = lines(fix.stdout);
    const runId = events.find((e) => e.type === 'run.started')?.runId as string;
    expect(runId).toBeTruthy();
    const output = events.filter((e) => e.type === 'step.output').map((e) => e.text as string).join('');
    expect(output).toContain(`fallback on for ${id} at P1`);
    expect(output).toContain('restarted because pool exhausted');

    expect((await opsctl(['note', 'add an alert on pool saturation'], 20, 'carla@example.com')).code).toBe(0);
    const status = await opsctl(['status'], 25);
    expect(status.stdout).toMatch(/mitigated after 1[12]m/);

    const resolved = await opsctl(['resolve', '--summary', 'Fell back, restarted the app', '--root-cause', 'Connection pool exhausted', '--output', 'json'], 40);
    expect(resolved.code).toBe(0);
    const final = lines(resolved.stdout)[0]?.incident as Json;
    expect(final).toMatchObject({ status: 'resolved', severity: 'P1', runIds: [runId] });

    // The run's record points back at the incident; its journal is the reference for the times.
    const shown = lines((await runOpsctl(['-C', dir, 'runs', 'show', runId, '--output', 'json'])).stdout)[0] as Json;
    expect(shown.run.incidentId).toBe(id);
    const journal = lines((await runOpsctl(['-C', dir, 'runs', 'logs', runId, '--output', 'json'])).stdout);
    const mitigateDone = journal.find((e) => e.type === 'step.succeeded' && e.step === 'mitigate')?.ts as string;
    expect(mitigateDone).toBeTruthy();
    expect(journal.some((e) => e.type === 'step.confirmed' && e.step === 'restart')).toBe(true);
    expect(journal.some((e) => e.type === 'step.succeeded' && e.step === 'restart/restart')).toBe(true);

    const file = join(dir, 'pm.md');
    const pm = await opsctl(['postmortem', '--output', file], 45);
    expect(pm.code).toBe(0);
    const text = readFileSync(file, 'utf8');
    const start = Date.parse(final.startedAt as string);
    const took = (iso: string) => Date.parse(iso) - start;

    const data = lines((await opsctl(['postmortem', id, '--output', 'json'], 45)).stdout)[0]?.postmortem as Json;
    const times = Object.fromEntries((data.times as Json[]).map((t) => [t.name, t]));
    expect(times.acknowledge).toMatchObject({ at: final.acknowledgedAt, took_ms: took(final.acknowledgedAt as string), result: 'met' });
    expect(times.mitigate).toMatchObject({ at: mitigateDone, took_ms: took(mitigateDone), result: 'no target' });
    expect(times.resolve).toMatchObject({ at: final.resolvedAt, took_ms: took(final.resolvedAt as string), target: '1h', result: 'met' });
    expect(final.mitigatedAt).toBe(mitigateDone);

    expect(text).toMatch(/^# Postmortem: Checkout returns 500\n/);
    expect(text).toContain('| Severity | P1 (opened as P2) |');
    expect(text).toContain('\n## Summary\n\nFell back, restarted the app\n');
    expect(text).toContain('\n## Root cause\n\nConnection pool exhausted\n');
    expect(text).toMatch(/- \S+ — P2 → P1 \(ana@example\.com\)/);
    expect(text).toContain(`| mitigate | ${mitigateDone} | ${times.mitigate.took} | — | no target |`);
    expect(text).toContain(`| resolve | ${final.resolvedAt} | ${times.resolve.took} | 1h | met |`);
    expect(text).toContain('- [ ] error rate 40% on /checkout (bo@example.com,');
    expect(text).toContain('- [ ] add an alert on pool saturation (carla@example.com,');

    const timeline = (data.timeline as Json[]).map((t) => `${t.actor} ${t.text}`);
    const order = [
      'ana@example.com opened as P2: Checkout returns 500',
      'bo@example.com error rate 40% on /checkout',
      'ana@example.com severity P2 → P1',
      `ana@example.com runbook \`fix-cache\` attached as run ${runId}`,
      'ana@example.com `mitigate` succeeded',
      'ana@example.com `restart` approved (yes)',
      'ana@example.com `restart/restart` succeeded',
      'carla@example.com add an alert on pool saturation',
      'opsctl escalation level 1: development',
      'ana@example.com resolved: Fell back, restarted the app',
    ];
    const positions = order.map((line) => timeline.findIndex((t) => t.startsWith(line)));
    expect(positions.every((p) => p >= 0), `timeline:\n${timeline.join('\n')}`).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('raising with --run-runbook starts the higher severity’s runbook, which stops before any side effect without approvals', async () => {
    const dir = project();
    const env = { OPSCTL_USER: 'ana@example.com', CI: '1' };
    await runOpsctl(['-C', dir, 'incident', 'start', '--severity', 'P3', '--title', 'Reports slow', '--no-runbook'], { env });
    const raised = await runOpsctl(['-C', dir, 'incident', 'severity', 'P2', '--run-runbook'], { env });
    expect(raised.code).toBe(3);
    expect(raised.stdout).toContain('run incident-p2');
    expect(raised.stdout + raised.stderr).toMatch(/nothing was run\. Pass --approve/);
    const status = lines((await runOpsctl(['-C', dir, 'incident', 'status', '--output', 'json'], { env })).stdout)[0] as Json;
    expect(status.incident.severity).toBe('P2');
  });
});

const QUICK = `apiVersion: opsctl/v1
kind: Runbook
name: quick-p4
title: Low-priority triage
lock: false
steps:
  - id: look
    shell: echo "triaging \${{ incident.id }} (\${{ incident.title }})"
  - id: tell
    notify: { text: "\${{ incident.severity }} \${{ incident.id }}: \${{ incident.title }} (owner \${{ incident.commander }})" }
`;

describe('start runs the severity’s runbook', () => {
  it('runs the runbook the config maps to P4, with incident.* in its expressions and notify to a local webhook', async () => {
    const received: Json[] = [];
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        received.push(JSON.parse(body) as Json);
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const dir = project(`notify: { webhook: "http://127.0.0.1:${port}/hook" }\nincidents: { severities: { P4: { runbook: quick-p4 } } }\n`);
    writeFileSync(join(dir, 'runbooks/quick-p4.yaml'), QUICK);
    const result = await runOpsctl(['-C', dir, 'incident', 'start', '--severity', 'P4', '--title', 'Logo misaligned', '--commander', 'dana', '--output', 'json'], {
      env: { OPSCTL_USER: 'ana@example.com', CI: '1' },
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const out = lines(result.stdout);
    const id = out[0]?.incident.id as string;
    expect(out.find((e) => e.type === 'run.started')?.runbook).toBe('quick-p4');
    expect(out.filter((e) => e.type === 'step.output').map((e) => e.text as string).join('')).toContain(`triaging ${id} (Logo misaligned)`);
    expect(out.find((e) => e.type === 'run.finished')?.status).toBe('succeeded');
    expect(received.map((r) => r.text)).toEqual([`P4 ${id}: Logo misaligned (owner dana)`]);
    const status = lines((await runOpsctl(['-C', dir, 'incident', 'status', '--output', 'json'], { env: { CI: '1' } })).stdout)[0] as Json;
    expect(status.incident.runIds).toHaveLength(1);
  });

  it('without a terminal, the shipped runbook stops before its first step and names the human steps to approve', async () => {
    const dir = project();
    const result = await runOpsctl(['-C', dir, 'incident', 'start', '--severity', 'P4', '--title', 'Typo on the pricing page'], { env: { CI: '1' } });
    expect(result.code).toBe(3);
    expect(result.stdout + result.stderr).toContain('nothing was run. Pass --approve acknowledge --approve assess --approve ticket --approve verify');
    const list = lines((await runOpsctl(['-C', dir, 'incident', 'list', '--output', 'json'], { env: { CI: '1' } })).stdout)[0] as Json;
    expect(list.incidents).toEqual([expect.objectContaining({ status: 'open', severity: 'P4' })]);
  });

  it('runs the shipped incident-p4 with its human steps approved by flag and the team told through notify', async () => {
    const received: Json[] = [];
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        received.push(JSON.parse(body) as Json);
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const dir = project(`notify: { webhook: "http://127.0.0.1:${port}/hook" }\n`);
    const approve = ['acknowledge', 'assess', 'ticket', 'verify'].flatMap((step) => ['--approve', step]);
    const result = await runOpsctl(['-C', dir, 'incident', 'start', '--severity', 'P4', '--title', 'Logo misaligned', '--commander', 'dana', ...approve, '--output', 'json'], {
      env: { OPSCTL_USER: 'ana@example.com', CI: '1' },
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const out = lines(result.stdout);
    const id = out[0]?.incident.id as string;
    expect(out.find((e) => e.type === 'run.finished')?.status).toBe('succeeded');
    expect(received.map((r) => r.text)).toEqual([`P4 ${id}: Logo misaligned, fix scheduled (owner dana).`]);
    const pm = lines((await runOpsctl(['-C', dir, 'incident', 'postmortem', '--output', 'json'], { env: { CI: '1' } })).stdout)[0]?.postmortem as Json;
    const texts = (pm.timeline as Json[]).map((t) => `${t.actor} ${t.text}`);
    expect(texts).toEqual(expect.arrayContaining([expect.stringMatching(/^ana@example\.com `acknowledge` succeeded in \S+ — marked done with --approve acknowledge by ana@example\.com$/)]));
    expect(texts.some((t) => t.startsWith('ana@example.com `notify_team` succeeded'))).toBe(true);
  });
});
