import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { journal, record, run, runIds, stateProject } from './runs-helpers';

const RUNBOOK = `apiVersion: opsctl/v1
kind: Runbook
name: change
title: Change things
params:
  tag: { type: string, default: v1 }
steps:
  - id: first
    shell: echo "first \${{ params.tag }}" >> applied.log; echo "id-41"
    outputs: { handle: stdout }
    undo: { shell: 'echo "undo first \${{ steps.first.outputs.handle }} \${{ params.tag }}" >> applied.log' }
  - id: look
    readonly: true
    shell: echo looking
  - id: second
    shell: echo "second" >> applied.log
    undo: { shell: 'echo "undo second" >> applied.log' }
  - id: third
    shell: echo "third" >> applied.log
  - id: broken
    shell: exit 4
`;

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
const applied = (dir: string) => readFileSync(join(dir, 'applied.log'), 'utf8').trim().split('\n');

describe('rollback --run RUN_ID', () => {
  it('undoes what the run changed, in reverse order, after a confirmation, as a run of its own', async () => {
    const project = stateProject({ change: RUNBOOK });
    cleanups.push(project.cleanup);
    const dir = project.dir;
    const failed = await run(dir, ['run', 'change', '--env', 'staging', '-p', 'tag=v7']);
    expect(failed.code).toBe(1);
    const [runId] = runIds(dir);

    const unconfirmed = await run(dir, ['rollback', '--run', runId!]);
    expect(unconfirmed.code).toBe(3);
    expect(unconfirmed.stdout + unconfirmed.stderr).toContain('--approve undo-second');
    expect(unconfirmed.stderr).toContain(`step \`third\` of run ${runId} is not undone: it has no \`undo\``);
    expect(applied(dir)).toEqual(['first v7', 'second', 'third']);

    const done = await run(dir, ['rollback', '--run', runId!, '--yes']);
    expect(done.code).toBe(0);
    expect(applied(dir)).toEqual(['first v7', 'second', 'third', 'undo second', 'undo first id-41 v7']);

    const rollbackId = runIds(dir).filter((id) => id !== runId).map((id) => [id, record(dir, id)] as const).find(([, r]) => r.status === 'succeeded')![0];
    expect(record(dir, rollbackId)).toMatchObject({ rollbackOf: runId, status: 'succeeded', lockKey: 'change@staging', params: { tag: 'v7' } });
    expect(record(dir, rollbackId).resumedFrom).toBeUndefined();
    const started = journal(dir, rollbackId).filter((e) => e.type === 'step.started').map((e) => ('step' in e ? e.step : ''));
    expect(started).toEqual(['undo-second', 'undo-first']);

    const again = await run(dir, ['rollback', '--run', runId!, '--yes']);
    expect(again.code).toBe(5);
    expect(again.stderr).toContain(`run ${runId} was already rolled back by run ${rollbackId}`);
    expect(applied(dir)).toHaveLength(5);
  });

  it('a rollback that failed half-way is finished by running it again, without repeating the undos that succeeded', async () => {
    const flaky = RUNBOOK.replace(`undo: { shell: 'echo "undo first`, `undo: { shell: 'test -f undo-ok.flag && echo "undo first`);
    const project = stateProject({ change: flaky });
    cleanups.push(project.cleanup);
    const dir = project.dir;
    expect((await run(dir, ['run', 'change', '--env', 'staging'])).code).toBe(1);
    const [runId] = runIds(dir);

    const half = await run(dir, ['rollback', '--run', runId!, '--yes']);
    expect(half.code).toBe(1);
    expect(applied(dir)).toEqual(['first v1', 'second', 'third', 'undo second']);
    const halfId = runIds(dir).find((id) => id !== runId)!;
    expect(record(dir, halfId).status).toBe('failed');

    const resumed = await run(dir, ['resume', halfId]);
    expect(resumed.code).toBe(5);
    expect(resumed.stderr).toContain(`opsctl rollback --run ${runId}`);

    writeFileSync(join(dir, 'undo-ok.flag'), '');
    const rest = await run(dir, ['rollback', '--run', runId!, '--yes']);
    expect(rest.code).toBe(0);
    expect(rest.stderr).toContain(`step \`second\` of run ${runId} is not undone: already undone by run ${halfId}`);
    expect(applied(dir)).toEqual(['first v1', 'second', 'third', 'undo second', 'undo first id-41 v1']);
  });

  it('`rollback --run last --yes` after a refused `rollback --run last` undoes the run; the original `finally` steps do not run again (F19)', async () => {
    const withFinally = `apiVersion: opsctl/v1
kind: Runbook
name: release
steps:
  - id: release
    shell: echo "release" >> applied.log
    undo: { shell: 'echo "undo release" >> applied.log' }
finally:
  - id: summary
    shell: echo "summary \${{ run.status }}" >> applied.log
`;
    const project = stateProject({ release: withFinally });
    cleanups.push(project.cleanup);
    const dir = project.dir;
    expect((await run(dir, ['run', 'release', '--env', 'staging', '--yes'])).code).toBe(0);
    const [runId] = runIds(dir);
    expect((await run(dir, ['rollback', '--run', 'last'])).code).toBe(3);
    const retried = await run(dir, ['rollback', '--run', 'last', '--yes']);
    expect(retried.stderr).not.toContain('undoing an undo');
    expect(retried.code).toBe(0);
    expect(applied(dir)).toEqual(['release', 'summary succeeded', 'undo release']);
    const rollbackId = runIds(dir).find((id) => record(dir, id).status === 'succeeded' && record(dir, id).rollbackOf === runId);
    expect(rollbackId).toBeDefined();
    const started = journal(dir, rollbackId!).filter((e) => e.type === 'step.started').map((e) => ('step' in e ? e.step : ''));
    expect(started).toEqual(['undo-release']);

    const explicit = await run(dir, ['rollback', '--run', rollbackId!, '--yes']);
    expect(explicit.code).toBe(2);
    expect(explicit.stderr).toContain(`opsctl rollback --run ${runId}`);
  });

  it('names an unknown run (exit 2)', async () => {
    const project = stateProject({ change: RUNBOOK });
    cleanups.push(project.cleanup);
    const result = await run(project.dir, ['rollback', '--run', '20990101T000000-beef', '--yes']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no run `20990101T000000-beef` is recorded');
  });
});
