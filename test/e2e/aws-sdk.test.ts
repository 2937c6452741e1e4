import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { clearClientCache } from '../../src/adapters/aws/clients';
import type { ActionOutcome } from '../../src/adapters/types';
import type { EnvironmentConfig } from '../../src/config/model';
import { startFakeAws, type FakeAws } from '../fixtures/aws/fake-aws';
import { fakeContext, load, timeoutError } from '../unit/adapters/helpers';

/**
 * The AWS actions through the SDK's real HTTP stack (signing, retries, JSON 1.1, query/XML and
 * REST-XML protocols) against the fake endpoint on 127.0.0.1, reached only via AWS_ENDPOINT_URL.
 */
let fake: FakeAws;
const saved = { ...process.env };
const AWS_ENV = {
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_REGION: 'us-east-1',
  AWS_CONFIG_FILE: '/nonexistent/aws-config',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
  AWS_EC2_METADATA_DISABLED: 'true',
};

beforeAll(() => {
  for (const key of Object.keys(process.env)) if (key.startsWith('AWS_')) delete process.env[key];
  Object.assign(process.env, AWS_ENV);
});
afterAll(() => {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
});
beforeEach(async () => {
  fake = await startFakeAws();
  process.env.AWS_ENDPOINT_URL = fake.url;
  clearClientCache();
});
afterEach(() => fake.close());

const ctx = (over: Parameters<typeof fakeContext>[0] = {}) => fakeContext(over);
const message = (o: ActionOutcome) => (o.type === 'failure' ? o.message : '');

describe('ECS through the SDK (JSON 1.1)', () => {
  it('deploys a new image and polls DescribeServices until the rollout is stable', async () => {
    fake.addService('prod', 'api', 'api', 'registry/api:1.0.0', 2);
    const c = ctx();
    const outcome = await (await load('ecs.deploy')).run({ cluster: 'prod', service: 'api', image: 'registry/api:2.0.0', poll_interval: '10ms' }, c);
    expect(message(outcome)).toBe('');
    expect(outcome).toMatchObject({ type: 'success', outputs: { task_definition: 'arn:aws:ecs:us-east-1:000000000000:task-definition/api:2', previous_task_definition: 'arn:aws:ecs:us-east-1:000000000000:task-definition/api:1', running_count: 2 } });
    expect(fake.operations().slice(0, 4)).toEqual(['DescribeServices', 'DescribeTaskDefinition', 'RegisterTaskDefinition', 'UpdateService']);
    expect(fake.operations().slice(4)).toEqual(['DescribeServices', 'DescribeServices']);
    expect(c.recorded.progress).toContain('rollout IN_PROGRESS, running 1/2, 1 other deployment still running 1');
    const registered = fake.log.find((l) => l.operation === 'RegisterTaskDefinition')?.input as { containerDefinitions: { image: string }[] };
    expect(registered.containerDefinitions[0]?.image).toBe('registry/api:2.0.0');
    expect(fake.services.get('prod/api')?.deployments).toMatchObject([{ status: 'PRIMARY', rolloutState: 'COMPLETED', taskDefinition: 'arn:aws:ecs:us-east-1:000000000000:task-definition/api:2' }]);
  });

  it('rides out throttling: the SDK retries ThrottlingException', async () => {
    fake.addService('prod', 'api', 'api', 'registry/api:1.0.0', 2);
    fake.throttle('DescribeServices', 2);
    const outcome = await (await load('ecs.describe')).run({ cluster: 'prod', service: 'api' }, ctx());
    expect(outcome).toMatchObject({ type: 'success', outputs: { running_count: 2, status: 'ACTIVE' } });
    expect(fake.operations()).toEqual(['DescribeServices', 'DescribeServices', 'DescribeServices']);
  });

  it('times out a waiter at max_wait with the last state seen', async () => {
    fake.addService('prod', 'api', 'api', 'registry/api:1.0.0', 2, 'stuck');
    const outcome = await (await load('ecs.deploy')).run({ cluster: 'prod', service: 'api', image: 'registry/api:2.0.0', poll_interval: '20ms', max_wait: '100ms' }, ctx());
    expect(outcome).toMatchObject({ type: 'failure', reason: 'timeout', errorKind: 'WaiterTimedOut' });
    expect(message(outcome)).toContain('waiting for ECS service `api` to become stable; last state: rollout IN_PROGRESS, running 0/2, 1 other deployment still running 2');
  });

  it('stops waiting when the step timeout aborts, and says so', async () => {
    fake.addService('prod', 'api', 'api', 'registry/api:1.0.0', 2, 'stuck');
    const controller = new AbortController();
    setTimeout(() => controller.abort(timeoutError(150)), 150);
    const outcome = await (await load('ecs.scale')).run({ cluster: 'prod', service: 'api', desired_count: 4, poll_interval: '20ms' }, ctx({ signal: controller.signal, timeoutMs: 150 }));
    expect(outcome).toMatchObject({ type: 'failure', reason: 'timeout' });
    expect(message(outcome)).toMatch(/the step timeout \(150ms\) passed before AWS reported the change complete/);
  });

  it('explains a circuit-breaker rollback with the crashed task’s exit code', async () => {
    fake.addService('prod', 'api', 'api', 'registry/api:1.0.0', 2, 'crash');
    const outcome = await (await load('ecs.deploy')).run({ cluster: 'prod', service: 'api', image: 'registry/api:bad', poll_interval: '10ms' }, ctx());
    expect(outcome).toMatchObject({ type: 'failure', errorKind: 'DeploymentFailed' });
    expect(message(outcome)).toContain('failed: ECS deployment circuit breaker: tasks failed to start. The deployment circuit breaker rolled the service back to api:1.');
    expect(message(outcome)).toContain('Essential container in task exited (container app exit code 1: Error: missing DATABASE_URL)');
  });

  it('fails a one-off task with its exit code', async () => {
    fake.addService('prod', 'api', 'migrate', 'registry/api:1.0.0', 1);
    fake.taskResults.set('migrate', { exitCode: 2, reason: 'migration 042 failed' });
    const outcome = await (await load('ecs.run-task')).run({ cluster: 'prod', task_definition: 'migrate', command: ['npm', 'run', 'migrate'], poll_interval: '10ms' }, ctx());
    expect(outcome).toMatchObject({ type: 'failure', reason: 'exit-non-zero', exitCode: 2 });
    expect(message(outcome)).toMatch(/^ECS task task\d+ exited with code 2: Essential container in task exited \[EssentialContainerExited\]; container app: migration 042 failed$/);
  });
});

describe('RDS through the SDK (query protocol, XML)', () => {
  it('snapshots with progress, retrying a throttled DescribeDBSnapshots', async () => {
    fake.addInstance('axiomcore-production');
    fake.throttle('DescribeDBSnapshots', 1);
    const c = ctx();
    const outcome = await (await load('rds.snapshot')).run({ instance: 'axiomcore-production', snapshot: 'pre-deploy-1', poll_interval: '10ms' }, c);
    expect(outcome).toMatchObject({ type: 'success', outputs: { snapshot: 'pre-deploy-1', status: 'available', snapshot_arn: 'arn:aws:rds:us-east-1:000000000000:snapshot:pre-deploy-1' } });
    expect(c.recorded.progress).toContain('snapshot pre-deploy-1: creating, 50%');
    expect(fake.operations('rds')).toEqual(['CreateDBSnapshot', 'DescribeDBSnapshots', 'DescribeDBSnapshots', 'DescribeDBSnapshots']);
  });

  it('a retried snapshot adopts the one an earlier attempt made; a name taken by another instance fails', async () => {
    fake.addInstance('db1');
    fake.addInstance('db2');
    const impl = await load('rds.snapshot');
    const first = await impl.run({ instance: 'db1', snapshot: 'nightly-1', wait: false }, ctx());
    expect(first).toMatchObject({ type: 'success', outputs: { status: 'creating' } });
    const c = ctx();
    const again = await impl.run({ instance: 'db1', snapshot: 'nightly-1', poll_interval: '10ms' }, c);
    expect(again).toMatchObject({ type: 'success', outputs: { status: 'available' } });
    expect(c.recorded.progress[0]).toBe('snapshot nightly-1 of db1 already exists (an earlier attempt made it); using it');
    const clash = await impl.run({ instance: 'db2', snapshot: 'nightly-1' }, ctx());
    expect(clash).toMatchObject({ type: 'failure', errorKind: 'DBSnapshotAlreadyExistsFault' });
    expect(message(clash)).toContain('RDS CreateDBSnapshot (instance `db2`, snapshot `nightly-1`): DBSnapshotAlreadyExistsFault: Cannot create the snapshot because a snapshot with the identifier nightly-1 already exists.');
  });

  it('the aws action calls any operation and waits where it knows how: DeleteDBInstance until gone', async () => {
    fake.addInstance('restored-1');
    const c = ctx();
    const outcome = await (await load('aws')).run({ service: 'rds', operation: 'delete-db-instance', input: { DBInstanceIdentifier: 'restored-1', SkipFinalSnapshot: true }, poll_interval: '10ms' }, c);
    expect(message(outcome)).toBe('');
    expect(outcome).toMatchObject({ type: 'success', outputs: { response: { DBInstance: { DBInstanceIdentifier: 'restored-1', DBInstanceStatus: 'deleting' } } } });
    expect(fake.log[0]).toMatchObject({ operation: 'DeleteDBInstance', input: { DBInstanceIdentifier: 'restored-1', SkipFinalSnapshot: 'true' } });
    expect(c.recorded.progress).toEqual(['instance restored-1: deleting']);
    expect(fake.instances.has('restored-1')).toBe(false);
  });

  it('maps a missing instance to a message with the fix', async () => {
    const outcome = await (await load('rds.reboot')).run({ instance: 'nope' }, ctx());
    expect(outcome).toMatchObject({ type: 'failure', reason: 'aws-error', errorKind: 'DBInstanceNotFoundFault' });
    expect(message(outcome)).toMatch(/^RDS RebootDBInstance \(`nope`\): DBInstanceNotFoundFault: DBInstance nope not found\. \(HTTP 404/);
  });

  it('reboots and waits until available again', async () => {
    fake.addInstance('db1');
    const c = ctx();
    const outcome = await (await load('rds.reboot')).run({ instance: 'db1', poll_interval: '10ms' }, c);
    expect(outcome).toMatchObject({ type: 'success', outputs: { status: 'available', endpoint: 'db1.fake.rds.amazonaws.com', port: 5432 } });
    expect(c.recorded.progress).toEqual(['instance db1: rebooting']);
  });
});

describe('Route 53 through the SDK (REST-XML)', () => {
  it('upserts, waits for INSYNC through a throttled GetChange, and its undo restores the old record', async () => {
    fake.addZone('ZFAKE1', 'example.com', [{ Name: 'api.example.com.', Type: 'CNAME', TTL: 300, ResourceRecords: [{ Value: 'blue-lb.example.com' }] }]);
    fake.throttle('GetChange', 1);
    const impl = await load('route53.upsert');
    const input = { zone: 'example.com', name: 'api.example.com', type: 'CNAME', ttl: 60, values: ['green-lb.example.com'], poll_interval: '10ms' };
    const outcome = await impl.run(input, ctx());
    expect(message(outcome)).toBe('');
    expect(outcome).toMatchObject({ type: 'success', outputs: { status: 'INSYNC', zone_id: 'ZFAKE1', created: false } });
    expect(fake.zones.get('ZFAKE1')?.records).toEqual([{ Name: 'api.example.com.', Type: 'CNAME', TTL: 60, ResourceRecords: [{ Value: 'green-lb.example.com' }] }]);

    const inverse = impl.undo?.(input, outcome.type === 'success' ? outcome.undoFacts ?? {} : {});
    expect(inverse?.kind).toBe('route53.upsert');
    const undone = await (await load(inverse!.kind)).run(inverse!.input, ctx());
    expect(undone.type).toBe('success');
    expect(fake.zones.get('ZFAKE1')?.records).toEqual([{ Name: 'api.example.com.', Type: 'CNAME', TTL: 300, ResourceRecords: [{ Value: 'blue-lb.example.com' }] }]);
  });

  it('a created record is deleted by its undo', async () => {
    fake.addZone('ZFAKE1', 'example.com', []);
    const impl = await load('route53.upsert');
    const input = { zone: 'ZFAKE1', name: 'canary.example.com', type: 'A', values: ['10.0.0.9'], poll_interval: '10ms' };
    const outcome = await impl.run(input, ctx());
    expect(fake.zones.get('ZFAKE1')?.records).toHaveLength(1);
    const inverse = impl.undo?.(input, outcome.type === 'success' ? outcome.undoFacts ?? {} : {});
    expect(inverse?.kind).toBe('route53.delete');
    const undone = await (await load(inverse!.kind)).run(inverse!.input, ctx());
    expect(undone).toMatchObject({ type: 'success', outputs: { deleted: true } });
    expect(fake.zones.get('ZFAKE1')?.records).toEqual([]);
  });
});

describe('credentials, region and endpoint', () => {
  it('sends every request to AWS_ENDPOINT_URL without being told the endpoint (the SDK reads it)', async () => {
    fake.addService('prod', 'api', 'api', 'img:1', 1);
    const c = ctx();
    expect(c.env.AWS_ENDPOINT_URL).toBe(process.env.AWS_ENDPOINT_URL);
    const { clientSettings } = await import('../../src/adapters/aws/clients');
    expect(clientSettings(c, 'ECS').endpoint).toBeUndefined();
    await (await load('ecs.describe')).run({ cluster: 'prod', service: 'api' }, c);
    expect(fake.operations()).toEqual(['DescribeServices']);
  });

  it('names the fix when there are no credentials', async () => {
    const keys = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;
    try {
      const outcome = await (await load('ecs.describe')).run({ cluster: 'prod', service: 'api' }, ctx({ environment: { name: 'staging', protected: false, vars: {} } }));
      expect(outcome).toMatchObject({ type: 'failure', reason: 'aws-error', errorKind: 'CredentialsProviderError' });
      expect(message(outcome)).toContain(
        'No AWS credentials found. Export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or set AWS_PROFILE (or `aws: { profile: NAME }` on environment `staging` in opsctl.yaml), or run `aws sso login`.',
      );
      expect(fake.log).toEqual([]);
    } finally {
      process.env.AWS_ACCESS_KEY_ID = keys.id;
      process.env.AWS_SECRET_ACCESS_KEY = keys.secret;
    }
  });

  it('names the fix when there is no region, and takes the region from the environment config', async () => {
    delete process.env.AWS_REGION;
    try {
      const environment: EnvironmentConfig = { name: 'staging', protected: false, vars: {} };
      const outcome = await (await load('rds.describe')).run({ instance: 'db1' }, ctx({ environment }));
      expect(message(outcome)).toContain('No AWS region is set. Set `aws: { region: us-east-1 }` on environment `staging` in opsctl.yaml, or export AWS_REGION.');
      fake.addInstance('db1');
      const withRegion = await (await load('rds.describe')).run({ instance: 'db1' }, ctx({ environment: { ...environment, aws: { region: 'eu-west-1' } } }));
      expect(withRegion).toMatchObject({ type: 'success', outputs: { status: 'available' } });
    } finally {
      process.env.AWS_REGION = 'us-east-1';
    }
  });

  it('names the profile and where it is set when the environment’s profile does not exist', async () => {
    const environment: EnvironmentConfig = { name: 'production', protected: true, vars: {}, aws: { region: 'us-east-1', profile: 'ghost' } };
    const outcome = await (await load('ecs.describe')).run({ cluster: 'prod', service: 'api' }, ctx({ environment }));
    expect(outcome).toMatchObject({ type: 'failure', reason: 'aws-error' });
    expect(message(outcome)).toContain('No AWS credentials for profile `ghost` (set by `aws: { profile: ghost }` on environment `production` in opsctl.yaml). Check that ~/.aws/config or ~/.aws/credentials defines it');
    expect(fake.log).toEqual([]);
  });
});
