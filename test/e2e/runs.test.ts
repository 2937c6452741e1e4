import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { journal, record, run, runIds, stateProject } from './runs-helpers';

const RUNBOOK = `apiVersion: opsctl/v1
kind: Runbook
name: release
title: Release the thing
params:
  version: { type: string, required: true }
  api_key: { type: string, required: true, secret: true }
steps:
  - id: build
    shell: echo "building \${{ params.version }}"
  - id: ship
    confirm: Ship it?
    shell: echo shipped
`;

const LOUD = `apiVersion: opsctl/v1
kind: Runbook
name: loud
title: Loud
steps:
  - id: flood
    shell: seq 1 200000
`;

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
function project() {
  const p = stateProject({ release: RUNBOOK, loud: LOUD });
  cleanups.push(p.cleanup);
  return p.dir;
}
const args = ['run', 'release', '--env', 'staging', '-p', 'version=1.2.3', '-p', 'api_key=k-8d2f0a61c9', '--approve', 'ship'];

describe('run records and history', () => {
  it('records who ran what, where, with which params and approvals', async () => {
    const dir = project();
    const result = await run(dir, args, { env: { OPSCTL_USER: 'ana@example.com', CI: 'true' } });
    expect(result.code).toBe(0);
    const [id] = runIds(dir);
    expect(id).toMatch(/^\d{8}T\d{6}-[0-9a-f]{6}$/);
    const rec = record(dir, id!);
    expect(rec).toMatchObject({
      id,
      runbook: { name: 'release', title: 'Release the thing', path: join(dir, 'runbooks/release.yaml'), hash: createHash('sha256').update(readFileSync(join(dir, 'runbooks/release.yaml'))).digest('hex') },
      params: { version: '1.2.3', api_key: '***' },
      environment: 'staging',
      user: 'ana@example.com',
      trigger: 'ci',
      host: hostname(),
      dryRun: false,
      status: 'succeeded',
      approvals: [{ step: 'ship', by: 'ana@example.com', via: 'approve' }],
      lockKey: 'release@staging',
    });
    expect(rec.opsctlVersion).toMatch(/^\d+\.\d+\.\d+/);
    expect(Date.parse(rec.endedAt!)).toBeGreaterThanOrEqual(Date.parse(rec.startedAt));
  });

  it('names the user from git config when OPSCTL_USER is unset, and the trigger terminal outside CI', async () => {
    const dir = project();
    execFileSync('git', ['init', '-q', dir]);
    execFileSync('git', ['-C', dir, 'config', 'user.email', 'git-user@example.com']);
    const result = await run(dir, args, { env: { OPSCTL_USER: undefined, CI: undefined } });
    expect(result.code).toBe(0);
    expect(record(dir, runIds(dir)[0]!)).toMatchObject({ user: 'git-user@example.com', trigger: 'terminal' });
  });

  it('lists, shows and prints the logs of runs, pretty and json', async () => {
    const dir = project();
    expect((await run(dir, args)).code).toBe(0);
    expect((await run(dir, ['run', 'release', '--env', 'staging', '-p', 'version=2.0.0', '-p', 'api_key=k-8d2f0a61c9'])).code).toBe(3);
    // Ids sort by the second they started in; two runs in one second are ordered by start time.
    const [first, second] = runIds(dir).sort((a, b) => record(dir, a).startedAt.localeCompare(record(dir, b).startedAt));

    const list = await run(dir, ['runs', 'list']);
    expect(list.code).toBe(0);
    const lines = list.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^RUN\s+RUNBOOK\s+ENV\s+STATUS\s+USER\s+STARTED\s+DURATION$/);
    expect(lines[1]).toMatch(new RegExp(`^${second}\\s+release\\s+staging\\s+not-confirmed\\s+tester@example.com`));
    expect(lines[2]).toMatch(new RegExp(`^${first}\\s+release\\s+staging\\s+succeeded\\s+tester@example.com`));

    const json = JSON.parse((await run(dir, ['runs', 'list', '--output', 'json'])).stdout) as { type: string; runs: { id: string }[] };
    expect(json.type).toBe('run.list');
    expect(json.runs.map((r) => r.id)).toEqual([second, first]);

    const show = await run(dir, ['runs', 'show', first!]);
    expect(show.stdout).toContain(`Run ${first}  succeeded`);
    expect(show.stdout).toContain('params     version=1.2.3 api_key=***');
    expect(show.stdout).toContain('ship: tester@example.com via approve');
    expect(show.stdout).toMatch(/build\s+succeeded/);
    const shown = JSON.parse((await run(dir, ['runs', 'show', first!.slice(0, -2), '--output', 'json'])).stdout) as { run: { id: string }; steps: { id: string; status: string }[] };
    expect(shown.run.id).toBe(first);
    expect(shown.steps.map((s) => [s.id, s.status])).toEqual([['build', 'succeeded'], ['ship', 'succeeded']]);

    const logs = await run(dir, ['runs', 'logs', first!, '--step', 'build']);
    expect(logs.stdout).toMatch(/build │ building 1\.2\.3/);
    const events = (await run(dir, ['runs', 'logs', first!, '--output', 'json'])).stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; seq: number });
    expect(events[0]?.type).toBe('run.started');
    expect(events.at(-1)?.type).toBe('run.finished');
    expect(events.map((e) => e.seq)).toEqual([...events.map((e) => e.seq)].sort((a, b) => a - b));

    const unknown = await run(dir, ['runs', 'show', 'nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no run `nope` is recorded');
  });

  it('F27: a damaged run record stays in the history: listed as damaged, `show` says so, `logs` still reads its journal', async () => {
    const dir = project();
    expect((await run(dir, args)).code).toBe(0);
    const [id] = runIds(dir);
    writeFileSync(join(dir, '.opsctl', 'runs', id!, 'run.json'), 'garbage\n');

    const listed = await run(dir, ['runs', 'list', '--output', 'plain']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).not.toContain('No runs recorded yet');
    expect(listed.stdout).toContain('1 run record is damaged');
    expect(listed.stdout).toContain(`${id}  record damaged: run.json is not valid JSON`);
    const json = JSON.parse((await run(dir, ['runs', 'list', '--output', 'json'])).stdout) as { runs: unknown[]; damaged: { id: string; problem: string }[] };
    expect(json.runs).toEqual([]);
    expect(json.damaged.map((d) => d.id)).toEqual([id]);

    const shown = await run(dir, ['runs', 'show', id!.slice(0, 18)]);
    expect(shown.stderr).toContain(`the record of run ${id} is damaged: run.json is not valid JSON`);
    expect(shown.stderr).toContain(`opsctl runs logs ${id}`);
    expect(shown.code).toBe(2);
    const logs = await run(dir, ['runs', 'logs', id!, '--output', 'plain']);
    expect(logs.code).toBe(0);
    expect(logs.stdout).toContain('building 1.2.3');
  });

  it('F22: says when a runbook or step filter matches nothing, with did-you-mean; `resume last` skips plans', async () => {
    const dir = project();
    expect((await run(dir, args)).code).toBe(0);
    const [real] = runIds(dir);
    const listed = await run(dir, ['runs', 'list', '--runbook', 'relase', '--output', 'plain']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain('No runs of `relase` are recorded. Did you mean `release`?');
    expect(listed.stdout).toContain('Runbooks with recorded runs: release.');

    const logs = await run(dir, ['runs', 'logs', real!, '--step', 'bulid']);
    expect(logs.stderr).toContain(`run ${real} has no step \`bulid\`; its steps: build, ship`);
    expect(logs.stderr).toContain('hint: did you mean `build`?');
    expect(logs.code).toBe(2);

    expect((await run(dir, ['plan', 'release', '--env', 'staging', '-p', 'version=1.2.4', '-p', 'api_key=k-8d2f0a61c9'])).code).toBe(0);
    const plan = runIds(dir).find((id) => id !== real);
    expect(plan).toBeDefined();
    const resumed = await run(dir, ['resume', 'last', '--approve', 'ship', '-p', 'api_key=k-8d2f0a61c9']);
    expect(resumed.stdout + resumed.stderr).toContain(real!);
    expect(resumed.stdout + resumed.stderr).not.toContain(plan!);
  });

  it('keeps the journal bounded when a step prints a flood of output', async () => {
    const dir = project();
    const result = await run(dir, ['run', 'loud', '--env', 'staging', '--output', 'json']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('"text":"200000"');
    const [id] = runIds(dir);
    const size = statSync(join(dir, '.opsctl/runs', id!, 'events.ndjson')).size;
    expect(size).toBeLessThan(1024 * 1024);
    const events = journal(dir, id!);
    const texts = events.flatMap((e) => (e.type === 'step.output' ? [e.text] : []));
    expect(texts[0]).toBe('1');
    expect(texts.at(-1)).toBe('200000');
    expect(events.some((e) => e.type === 'log' && e.message.startsWith('output truncated:'))).toBe(true);
  });
});
