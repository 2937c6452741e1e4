import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runOpsctl, tempProject } from './helpers';

/** F17: a run of an incident's runbook can be resumed and keeps its incident (`incident.*`, timeline). */
const FIX = `apiVersion: opsctl/v1
kind: Runbook
name: fix
params:
  flag: { type: string, required: true }
vars:
  channel: "\${{ 'inc-' + incident.id }}"
lock: false
steps:
  - id: one
    shell: echo "one \${{ vars.channel }}"
  - id: two
    shell: test -f "\${{ params.flag }}" && echo "two \${{ incident.id }}"
`;

let cleanup: (() => void) | undefined;
afterEach(() => {
  cleanup?.();
  cleanup = undefined;
});

function project(): string {
  const p = tempProject({ 'opsctl.yaml': 'runbooks: [./runbooks]\nstate: { backend: file }\n', 'runbooks/fix.yaml': FIX });
  cleanup = p.cleanup;
  return p.dir;
}

const env = { OPSCTL_NOW: '2026-11-22T03:00:00.000Z', OPSCTL_USER: 'ana@example.com', CI: '1' };

async function failedIncidentRun(dir: string): Promise<{ id: string; flag: string }> {
  const started = await runOpsctl(['-C', dir, 'incident', 'start', '--severity', 'P3', '--title', 'slow', '--no-runbook', '--output', 'json'], { env });
  expect(started.code).toBe(0);
  const id = (JSON.parse(started.stdout.split('\n')[0] ?? '{}') as { incident: { id: string } }).incident.id;
  const flag = join(dir, 'ok');
  const first = await runOpsctl(['-C', dir, 'incident', 'run', 'fix', '-p', `flag=${flag}`], { env });
  expect(first.code).toBe(1);
  expect(first.stdout).toContain(`one inc-${id}`);
  expect(first.stderr).toContain(`opsctl incident resume --id ${id}`);
  return { id, flag };
}

describe('resuming an incident runbook (F17)', () => {
  it('`opsctl resume last` restores incident.* and the resumed run joins the incident timeline', async () => {
    const dir = project();
    const { id, flag } = await failedIncidentRun(dir);
    writeFileSync(flag, '');
    const resumed = await runOpsctl(['-C', dir, 'resume', 'last'], { env });
    expect(resumed.stderr).not.toContain('only available inside an incident');
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain(`two ${id}`);
    expect(resumed.stdout).not.toContain('one inc-');

    const shown = await runOpsctl(['-C', dir, 'runs', 'show', 'last'], { env });
    expect(shown.stdout).toMatch(new RegExp(`incident\\s+${id}`));
    const pm = await runOpsctl(['-C', dir, 'incident', 'postmortem', id], { env });
    expect(pm.code).toBe(0);
    const attached = pm.stdout.match(/attached as run/g) ?? [];
    expect(attached.length).toBe(2);
  });

  it('`opsctl incident resume` picks the incident’s unfinished run', async () => {
    const dir = project();
    const { id, flag } = await failedIncidentRun(dir);
    writeFileSync(flag, '');
    const resumed = await runOpsctl(['-C', dir, 'incident', 'resume'], { env });
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain(`two ${id}`);
    const again = await runOpsctl(['-C', dir, 'incident', 'resume'], { env });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('no unfinished run');
  });
});

describe('incident start --dry-run (F51)', () => {
  it('stores no incident, shows the would-be incident and the plan', async () => {
    const p = tempProject({ 'opsctl.yaml': 'state: { backend: file }\n' });
    cleanup = p.cleanup;
    for (let i = 0; i < 2; i += 1) {
      const dry = await runOpsctl(['-C', p.dir, 'incident', 'start', '--severity', 'P3', '--title', 'dry', '--dry-run'], { env });
      expect(dry.stderr).toContain('dry run: would open incident');
      expect(dry.stderr).not.toContain('opened at P3');
      expect(dry.stdout + dry.stderr).toContain('incident-p3');
    }
    const list = await runOpsctl(['-C', p.dir, 'incident', 'list', '--output', 'json'], { env });
    expect(list.code).toBe(0);
    expect(list.stdout).not.toContain('dry');
    const status = await runOpsctl(['-C', p.dir, 'incident', 'status'], { env });
    expect(status.code).toBe(2);
    expect(status.stderr).toContain('no open incident');
  });
});

describe('notify without a webhook (F18)', () => {
  it('is a skip with the reason, not a failure', async () => {
    const p = tempProject({
      'opsctl.yaml': 'runbooks: [./runbooks]\nstate: { backend: file }\n',
      'runbooks/tell.yaml': 'apiVersion: opsctl/v1\nkind: Runbook\nname: tell\nlock: false\nsteps:\n  - id: tell\n    notify: { text: "hello" }\n  - id: after\n    shell: echo after\n',
    });
    cleanup = p.cleanup;
    const run = await runOpsctl(['-C', p.dir, 'run', 'tell'], { env });
    expect(run.code).toBe(0);
    const all = run.stdout + run.stderr;
    expect(all).toContain('tell skipped: no webhook configured (set notify.webhook in opsctl.yaml)');
    expect(all).not.toContain('failed');
  });
});

describe('incident runbooks outside an incident (F42)', () => {
  it('run exits 2 up front saying how to run it; plan shows placeholders and succeeds', async () => {
    const p = tempProject({ 'opsctl.yaml': 'state: { backend: file }\n' });
    cleanup = p.cleanup;
    const run = await runOpsctl(['-C', p.dir, 'run', 'incident-p3'], { env });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('runbook `incident-p3` reads `incident.*`: it runs inside an incident');
    expect(run.stderr).toContain('opsctl incident start');
    const runs = await runOpsctl(['-C', p.dir, 'runs', 'list', '--output', 'json'], { env });
    expect(runs.stdout).not.toContain('incident-p3');
    const plan = await runOpsctl(['-C', p.dir, 'plan', 'incident-p3', '--no-checks'], { env });
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain('Acknowledge <incident id> (<incident title>)');
    for (const severity of ['p1', 'p2', 'p4']) {
      expect((await runOpsctl(['-C', p.dir, 'plan', `incident-${severity}`, '--no-checks'], { env })).code).toBe(0);
    }
  });
});
