import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/engine/events';
import { startFakeAws, type FakeAws } from '../fixtures/aws/fake-aws';
import { eventOf, ndjson, project, runIn } from './run-fixtures';

/**
 * `bin/opsctl` as a real process running AWS runbooks against the fake endpoint on 127.0.0.1:
 * the SDK inside opsctl finds it through AWS_ENDPOINT_URL alone.
 */
let fake: FakeAws;
let cleanup: () => void = () => {};
beforeEach(async () => {
  fake = await startFakeAws();
});
afterEach(async () => {
  cleanup();
  await fake.close();
});

const CONFIG = 'runbooks: [./runbooks]\nenvironments:\n  staging: { aws: { region: us-east-1 } }\n';

function awsEnv(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {};
  for (const key of Object.keys(process.env)) if (key.startsWith('AWS_')) env[key] = undefined;
  return {
    ...env,
    AWS_ENDPOINT_URL: fake.url,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_REGION: 'us-east-1',
    AWS_CONFIG_FILE: '/nonexistent/aws-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
    AWS_EC2_METADATA_DISABLED: 'true',
    ...extra,
  };
}

function projectWith(runbooks: Record<string, string>): string {
  const files: Record<string, string> = { 'opsctl.yaml': CONFIG };
  for (const [name, text] of Object.entries(runbooks)) files[`runbooks/${name}.yaml`] = text;
  const p = project(files);
  cleanup = p.cleanup;
  return p.dir;
}

const opsctl = (dir: string, args: string[], env: Record<string, string | undefined> = {}) => runIn(dir, [...args, '--env', 'staging'], { env: awsEnv(env), timeoutMs: 30_000 });
const progress = (events: RunEvent[], step: string) => events.flatMap((e) => (e.type === 'step.progress' && e.step === step ? [e.message] : []));

const MAINTENANCE = `apiVersion: opsctl/v1
kind: Runbook
name: maintenance
title: Maintenance window (seed 002)
on_failure: rollback
steps:
  - id: scale_down
    ecs.scale: { cluster: axiomcore-production, service: api, desired_count: 1, poll_interval: 20ms }
    undo: auto
  - id: dns
    route53.upsert: { zone: example.com, name: api.example.com, type: CNAME, ttl: 60, values: [maintenance.example.com], poll_interval: 20ms }
    undo: auto
  - id: maintain
    shell: "echo applying updates; exit 4"
    undo: { log: nothing to undo }
`;

describe('AWS runbooks through bin/opsctl', () => {
  it('on_failure: rollback undoes the scale and the record change after a failed step', async () => {
    fake.addService('axiomcore-production', 'api', 'api', 'registry/api:1.0.0', 3);
    fake.addZone('ZFAKE1', 'example.com', [{ Name: 'api.example.com.', Type: 'CNAME', TTL: 300, ResourceRecords: [{ Value: 'blue-lb.example.com' }] }]);
    const dir = projectWith({ maintenance: MAINTENANCE });
    const result = await opsctl(dir, ['run', 'maintenance', '--yes', '-o', 'json']);
    expect(result.code, result.stderr).toBe(1);
    const events = ndjson(result.stdout);
    expect(events.filter((e) => e.type === 'step.rolled-back').map((e) => (e.type === 'step.rolled-back' ? e.step : ''))).toEqual(['dns', 'scale_down']);
    expect(eventOf(events, 'step.succeeded', 'scale_down').undoFacts).toEqual({ cluster: 'axiomcore-production', service: 'api', previous_desired_count: 3 });
    expect(progress(events, 'dns')).toContain('api.example.com. CNAME ttl 60 [maintenance.example.com] → api.example.com. CNAME ttl 300 [blue-lb.example.com]');
    // What AWS holds afterwards: the count and the record as they were.
    expect(fake.services.get('axiomcore-production/api')?.desiredCount).toBe(3);
    expect(fake.zones.get('ZFAKE1')?.records).toEqual([{ Name: 'api.example.com.', Type: 'CNAME', TTL: 300, ResourceRecords: [{ Value: 'blue-lb.example.com' }] }]);
    expect(fake.log.filter((l) => l.operation === 'UpdateService').map((l) => (l.input as { desiredCount: number }).desiredCount)).toEqual([1, 3]);
    expect(result.stderr).not.toMatch(/NodeVersionSupportWarning|AWS SDK|DeprecationWarning/);
  });

  it('deploys: plan shows the task-definition diff without writing, run polls until stable, rollback --run restores the previous revision', async () => {
    fake.addService('prod', 'api', 'api', 'registry/api:1.0.0', 2);
    const dir = projectWith({
      deploy: `apiVersion: opsctl/v1
kind: Runbook
name: deploy
title: Deploy the API
params:
  version: { type: string, required: true }
steps:
  - id: rollout
    ecs.deploy: { cluster: prod, service: api, image: "registry/api:\${{ params.version }}", wait: stable, poll_interval: 20ms }
    outputs: { arn: "json:$.serviceArn", revision: task_definition }
    undo: auto
  - id: announce
    shell: echo "deployed \${{ steps.rollout.outputs.revision }} to \${{ steps.rollout.outputs.arn }}"
`,
    });
    const plan = await opsctl(dir, ['plan', 'deploy', '-p', 'version=2.0.0', '-o', 'plain']);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain('container app: image "registry/api:1.0.0" → "registry/api:2.0.0"');
    expect(plan.stdout).toContain('now: api:1, running 2/2');
    expect(fake.operations()).toEqual(['DescribeServices', 'DescribeTaskDefinition']);

    const run = await opsctl(dir, ['run', 'deploy', '-p', 'version=2.0.0', '--yes', '-o', 'json']);
    expect(run.code, run.stderr).toBe(0);
    const events = ndjson(run.stdout);
    expect(eventOf(events, 'step.succeeded', 'rollout').outputs).toMatchObject({
      task_definition: 'arn:aws:ecs:us-east-1:000000000000:task-definition/api:2',
      running_count: 2,
      arn: 'arn:aws:ecs:us-east-1:000000000000:service/prod/api',
      revision: 'arn:aws:ecs:us-east-1:000000000000:task-definition/api:2',
    });
    expect(run.stdout).toContain('deployed arn:aws:ecs:us-east-1:000000000000:task-definition/api:2 to arn:aws:ecs:us-east-1:000000000000:service/prod/api');
    expect(progress(events, 'rollout')).toEqual(['registered api:2 (container app: registry/api:2.0.0)', expect.stringMatching(/^service api updated to api:2 \(deployment ecs-svc\/\d+\)$/), 'rollout IN_PROGRESS, running 1/2, 1 other deployment still running 1']);
    const list = await runIn(dir, ['runs', 'list'], { env: awsEnv() });
    const id = /\d{8}T\d{6}-\w+/.exec(list.stdout)?.[0]; // newest first: the run, not the plan
    expect(list.stdout.split('\n')[1]).toContain('succeeded');
    const undo = await opsctl(dir, ['rollback', '--run', String(id), '--yes', '-o', 'plain']);
    expect(undo.code, undo.stderr + undo.stdout).toBe(0);
    expect(undo.stdout).toContain('service api updated to api:1');
    expect(fake.services.get('prod/api')?.deployments).toMatchObject([{ status: 'PRIMARY', rolloutState: 'COMPLETED', taskDefinition: 'arn:aws:ecs:us-east-1:000000000000:task-definition/api:1' }]);
  });

  it('retries throttled calls and fails a rollout that never settles at max_wait, naming the last state', async () => {
    fake.addService('prod', 'api', 'api', 'registry/api:1.0.0', 2, 'stuck');
    fake.throttle('DescribeServices', 1);
    const dir = projectWith({
      stuck: `apiVersion: opsctl/v1
kind: Runbook
name: stuck
title: A rollout that never settles
steps:
  - id: rollout
    ecs.deploy: { cluster: prod, service: api, image: "registry/api:2.0.0", poll_interval: 50ms, max_wait: 300ms }
`,
    });
    const result = await opsctl(dir, ['run', 'stuck', '--yes', '-o', 'json']);
    expect(result.code).toBe(1);
    const failed = eventOf(ndjson(result.stdout), 'step.failed', 'rollout');
    expect(failed.reason).toBe('timeout');
    expect(failed.message).toContain('Waiter timed out: max_wait 300ms passed while waiting for ECS service `api` to become stable; last state: rollout IN_PROGRESS, running 0/2, 1 other deployment still running 2');
    expect(fake.operations().slice(0, 2)).toEqual(['DescribeServices', 'DescribeServices']);
  });

  it('says how to fix missing credentials, and exits 1', async () => {
    fake.addService('prod', 'api', 'api', 'registry/api:1.0.0', 2);
    const dir = projectWith({
      look: `apiVersion: opsctl/v1
kind: Runbook
name: look
title: Describe the service
steps:
  - id: describe
    ecs.describe: { cluster: prod, service: api }
`,
    });
    const result = await opsctl(dir, ['run', 'look', '-o', 'plain'], { AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined });
    expect(result.code).toBe(1);
    expect(result.stdout + result.stderr).toContain('No AWS credentials found. Export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or set AWS_PROFILE (or `aws: { profile: NAME }` on environment `staging` in opsctl.yaml), or run `aws sso login`.');
    expect(fake.log).toEqual([]);
  });

  it('validate checks AWS inputs against their schemas with line:col and did-you-mean', async () => {
    const dir = projectWith({
      bad: `apiVersion: opsctl/v1
kind: Runbook
name: bad
title: Bad AWS steps
steps:
  - id: scale
    ecs.scale: { cluster: prod, service: api, desired_cuont: 3 }
  - id: dns
    route53.upsert: { zone: Z1, name: api.example.com, type: CNAMEE, ttl: "sixty", values: [x] }
  - id: snap
    rds.snapshot: { instance: db1, snapshot: "bad_name" }
`,
    });
    const result = await runIn(dir, ['validate', 'runbooks/bad.yaml'], { env: awsEnv() });
    expect(result.code).toBe(2);
    const out = result.stdout + result.stderr;
    expect(out).toContain('runbooks/bad.yaml:7:47: error: unknown key `desired_cuont` in `steps[0].ecs.scale`');
    expect(out).toContain('hint: did you mean `desired_count`?');
    expect(out).toContain('runbooks/bad.yaml:9:62: error: `steps[1].route53.upsert.type` must be one of');
    expect(out).toContain('runbooks/bad.yaml:9:75: error: `steps[1].route53.upsert.ttl` must be an integer');
    expect(out).toContain('runbooks/bad.yaml:11:46: error: `steps[2].rds.snapshot.snapshot` `bad_name` does not match the pattern');
    expect(fake.log).toEqual([]);
  });

  it('plans steps that depend on outputs of earlier steps as decided at run time', async () => {
    fake.addService('prod', 'api', 'api', 'registry/api:1.0.0', 2);
    const dir = projectWith({
      chain: `apiVersion: opsctl/v1
kind: Runbook
name: chain
title: Restore, wait, repoint
steps:
  - id: restore
    rds.restore: { snapshot: nightly-1, instance: restored-1 }
  - id: available
    rds.wait-available: { instance: "\${{ steps.restore.outputs.instance }}" }
  - id: point
    ecs.deploy: { cluster: prod, service: api, task_definition: "api:\${{ steps.available.outputs.port }}" }
`,
    });
    const result = await opsctl(dir, ['plan', 'chain', '-o', 'plain']);
    expect(result.code, result.stderr + result.stdout).toBe(0);
    expect(result.stdout).toContain('known only at run time: steps.restore.outputs.instance; checks against AWS happen then');
    expect(result.stdout).toContain('known only at run time: steps.available.outputs.port; checks against AWS happen then');
    expect(result.stdout).toContain('check failed: snapshot `nightly-1` not found');
    expect(fake.operations()).not.toContain('UpdateService');
    expect(fake.operations()).not.toContain('RestoreDBInstanceFromDBSnapshot');
  });

  it('the step timeout bounds a wait: the run ends and polling stops', async () => {
    fake.addService('prod', 'api', 'api', 'registry/api:1.0.0', 2, 'stuck');
    const dir = projectWith({
      slow: `apiVersion: opsctl/v1
kind: Runbook
name: slow
title: A deploy bounded by its step timeout
steps:
  - id: rollout
    ecs.deploy: { cluster: prod, service: api, image: "registry/api:2.0.0", poll_interval: 50ms }
    timeout: 1s
`,
    });
    const result = await opsctl(dir, ['run', 'slow', '--yes', '-o', 'json']);
    expect(result.code).toBe(1);
    const events = ndjson(result.stdout);
    expect(eventOf(events, 'step.timed-out', 'rollout').timeoutMs).toBe(1000);
    // the timeout keeps the adapter's words: the last rollout state
    expect(eventOf(events, 'step.timed-out', 'rollout').message).toMatch(/^timed out after 1s: .*last state: rollout IN_PROGRESS/);
    expect(eventOf(events, 'run.finished').error).toMatch(/^step `rollout` timed out after 1s: .*last state: rollout IN_PROGRESS/);
    expect(progress(events, 'rollout')).toContain('rollout IN_PROGRESS, running 0/2, 1 other deployment still running 2');
    const polls = fake.operations().length;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(fake.operations().length).toBe(polls);
  });

  it('on_failure: rollback puts back the revision of a deploy whose wait timed out; its failing undo is reported with the timeout', async () => {
    fake.addService('prod', 'api', 'api', 'registry/api:1.0.0', 2, 'stuck');
    const previous = fake.services.get('prod/api')!.deployments[0]!.taskDefinition;
    const dir = projectWith({
      slow: `apiVersion: opsctl/v1
kind: Runbook
name: slow
title: A deploy that times out, rolled back
on_failure: rollback
steps:
  - id: rollout
    ecs.deploy: { cluster: prod, service: api, image: "registry/api:2.0.0", poll_interval: 50ms }
    timeout: 1s
    undo: auto
finally:
  - id: report
    log: "rollout left \${{ steps.rollout.outputs.task_definition }} (was \${{ steps.rollout.outputs.previous_task_definition }})"
`,
    });
    const result = await opsctl(dir, ['run', 'slow', '--yes', '-o', 'json']);
    expect(result.code).toBe(1);
    const events = ndjson(result.stdout);
    const timedOut = eventOf(events, 'step.timed-out', 'rollout');
    expect(timedOut.undoFacts).toEqual({ cluster: 'prod', service: 'api', previous_task_definition: previous });
    // The undo ran: UpdateService back to the previous revision (the stuck fake never settles it either).
    const updates = fake.log.filter((l) => l.operation === 'UpdateService').map((l) => (l.input as { taskDefinition: string }).taskDefinition);
    expect(updates).toHaveLength(2);
    expect(updates[1]).toBe(previous);
    expect(eventOf(events, 'step.rollback-failed', 'rollout').message).toMatch(/timed out after 1s/);
    expect(eventOf(events, 'run.finished').error).toMatch(/^step `rollout` timed out after 1s: .*; and the rollback failed too: undo of `rollout`: /);
    expect(eventOf(events, 'step.succeeded', 'report').outputs.message).toMatch(/^rollout left .*api:\d+ \(was .*api:\d+\)$/);
  });
});
