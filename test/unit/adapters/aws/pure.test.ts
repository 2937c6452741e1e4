import { describe, expect, it } from 'vitest';
import { clientSettings, sdkWarnings, withoutSdkWarnings } from '../../../../src/adapters/aws/clients';
import { diffTaskDefinitions, nextRevision } from '../../../../src/adapters/aws/ecs/task-definition';
import { judgeStability } from '../../../../src/adapters/aws/ecs/stability';
import { isReadOperation, operationName } from '../../../../src/adapters/aws/generic-operation';
import { durationMs, optInt, waitFlag } from '../../../../src/adapters/aws/input';
import { snapshotIdProblem } from '../../../../src/adapters/aws/rds/snapshot';
import { desiredRecord, fqdn, recordToInput } from '../../../../src/adapters/aws/route53/record';
import { defaultRegistry } from '../../../../src/adapters/registry';
import { Unknown } from '../../../../src/expr/unknown';
import { fakeContext, load } from '../helpers';

describe('AWS adapter pure parts', () => {
  it('registers every AWS action with a write or read effect, outputs, and auto undo where promised', () => {
    const keys = ['ecs.deploy', 'ecs.scale', 'ecs.restart', 'ecs.run-task', 'ecs.wait-stable', 'ecs.describe', 'rds.snapshot', 'rds.restore', 'rds.describe', 'rds.reboot', 'rds.promote-replica', 'rds.wait-available', 'route53.upsert', 'route53.delete', 'route53.weights', 'aws'];
    for (const key of keys) expect(defaultRegistry.get(key), key).toBeDefined();
    const effect = (key: string) => defaultRegistry.get(key)!.effect({}, { readonly: false });
    expect(['ecs.describe', 'ecs.wait-stable', 'rds.describe', 'rds.wait-available'].map(effect)).toEqual(['read', 'read', 'read', 'read']);
    expect(['ecs.deploy', 'ecs.scale', 'rds.snapshot', 'route53.upsert'].map(effect)).toEqual(['write', 'write', 'write', 'write']);
    expect(keys.filter((k) => defaultRegistry.get(k)!.autoUndo)).toEqual(['ecs.deploy', 'ecs.scale', 'route53.upsert', 'route53.delete', 'route53.weights']);
    for (const key of keys) {
      for (const field of Object.keys(defaultRegistry.get(key)!.schema.properties)) expect(field, `${key}.${field}`).toMatch(/^[a-z][a-z0-9_]*$/);
    }
  });

  it('diffs task definitions field by field', () => {
    const before = { cpu: '256', containerDefinitions: [{ name: 'api', image: 'a:1', environment: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] }, { name: 'old' }] };
    const after = { cpu: '512', containerDefinitions: [{ name: 'api', image: 'a:2', environment: [{ name: 'A', value: '9' }] }, { name: 'new', image: 'n:1' }] };
    expect(diffTaskDefinitions(before, after)).toEqual([
      'task cpu: "256" → "512"',
      'container api: image "a:1" → "a:2"',
      'container api: env A changed',
      'container api: env B removed',
      'container new: added (image "n:1")',
      'container old: removed',
    ]);
    expect(diffTaskDefinitions(before, before)).toEqual([]);
  });

  it('builds the next revision from registerable fields only', () => {
    const input = nextRevision({ family: 'f', revision: 3, status: 'ACTIVE', taskDefinitionArn: 'arn', cpu: '256', containerDefinitions: [{ name: 'c', image: 'x:1' }] }, undefined, 'x:2');
    expect(input).toEqual({ family: 'f', cpu: '256', containerDefinitions: [{ name: 'c', image: 'x:2' }] });
  });

  it('judges a rollout whose deployment was replaced as failed', () => {
    const verdict = judgeStability({ serviceName: 'api', status: 'ACTIVE', deployments: [{ id: 'other', status: 'PRIMARY', taskDefinition: 'arn:aws:ecs:us-east-1:1:task-definition/api:9' }] }, 'mine');
    expect(verdict.state).toBe('failed');
    expect(verdict.state === 'failed' && verdict.outcome.type === 'failure' && verdict.outcome.message).toBe('ECS deployment mine of `api` is gone: another deployment replaced it; deployment other (api:9) is PRIMARY now');
    expect(judgeStability({ serviceName: 'api', status: 'DRAINING', deployments: [] }).state).toBe('failed');
  });

  it('reads inputs in the spellings expressions produce', () => {
    expect(optInt({ n: '7' }, 'n')).toBe(7);
    expect(() => optInt({ n: 1.5 }, 'n')).toThrow('`n` must be a whole number, got 1.5');
    expect(durationMs({ d: '1m30s' }, 'd', 0)).toBe(90_000);
    expect(durationMs({ d: 2 }, 'd', 0)).toBe(2000);
    expect(durationMs({}, 'd', 15_000)).toBe(15_000);
    expect([waitFlag({}), waitFlag({ wait: 'stable' }), waitFlag({ wait: false }), waitFlag({ wait: 'false' })]).toEqual([true, true, false, false]);
  });

  it('normalizes operation names and classifies reads', () => {
    expect(['update-service', 'updateService', 'UpdateServiceCommand'].map(operationName)).toEqual(['UpdateService', 'UpdateService', 'UpdateService']);
    expect(isReadOperation('describe-db-instances')).toBe(true);
    expect(isReadOperation('DeleteDBInstance')).toBe(false);
  });

  it('checks snapshot identifiers the way RDS does', () => {
    expect(snapshotIdProblem('pre-deploy-20261122')).toBeUndefined();
    expect(snapshotIdProblem('1abc')).toBe('must start with a letter');
    expect(snapshotIdProblem('a--b')).toBe('may not hold two hyphens in a row or end with one');
  });

  it('builds record sets and maps them back to upsert inputs', () => {
    expect(fqdn('API.Example.com')).toBe('api.example.com.');
    expect(fqdn('\\052.example.com.')).toBe('*.example.com.');
    const rr = desiredRecord({ zone: 'Z1', name: 'api.example.com', type: 'a', values: ['10.0.0.1'], set_identifier: 'blue', weight: '50', health_check_id: 'hc-1' });
    expect(rr).toEqual({ Name: 'api.example.com.', Type: 'A', TTL: 300, ResourceRecords: [{ Value: '10.0.0.1' }], SetIdentifier: 'blue', Weight: 50, HealthCheckId: 'hc-1' });
    expect(recordToInput('Z1', rr)).toEqual({ zone: 'Z1', name: 'api.example.com.', type: 'A', values: ['10.0.0.1'], ttl: 300, set_identifier: 'blue', weight: 50, health_check_id: 'hc-1' });
    expect(() => desiredRecord({ zone: 'Z1', name: 'a', type: 'A' })).toThrow('give `values`');
    expect(() => desiredRecord({ zone: 'Z1', name: 'a', type: 'A', alias: { zone: 'Z2', dns_name: 'x' }, ttl: 60 })).toThrow('`ttl` does not apply to an alias record');
    expect(() => desiredRecord({ zone: 'Z1', name: 'a', type: 'MXX', values: ['x'] })).toThrow('`type` must be one of');
  });

  it('narrows region and profile by the environment and passes a differing endpoint explicitly', () => {
    const base = { AWS_REGION: 'us-east-1', AWS_PROFILE: 'dev' };
    expect(clientSettings({ env: base, environment: { name: 'prod', protected: true, vars: {}, aws: { region: 'eu-west-1', profile: 'prod' } } }, 'ECS')).toMatchObject({ region: 'eu-west-1', profile: 'prod' });
    expect(clientSettings({ env: base }, 'ECS')).toMatchObject({ region: 'us-east-1', profile: 'dev' });
    // The SDK reads the process environment itself; a step environment that says otherwise wins.
    const saved = { one: process.env.AWS_ENDPOINT_URL_ROUTE_53, all: process.env.AWS_ENDPOINT_URL };
    delete process.env.AWS_ENDPOINT_URL_ROUTE_53;
    process.env.AWS_ENDPOINT_URL = 'http://127.0.0.1:2';
    try {
      expect(clientSettings({ env: { AWS_ENDPOINT_URL_ROUTE_53: 'http://127.0.0.1:1' } }, 'ROUTE_53').endpoint).toBe('http://127.0.0.1:1');
      expect(clientSettings({ env: { AWS_ENDPOINT_URL: 'http://127.0.0.1:2' } }, 'ROUTE_53').endpoint).toBeUndefined();
    } finally {
      if (saved.one === undefined) delete process.env.AWS_ENDPOINT_URL_ROUTE_53;
      else process.env.AWS_ENDPOINT_URL_ROUTE_53 = saved.one;
      if (saved.all === undefined) delete process.env.AWS_ENDPOINT_URL;
      else process.env.AWS_ENDPOINT_URL = saved.all;
    }
  });

  it('keeps the SDK’s Node-version warning off the terminal and lets other warnings through', () => {
    const seen: string[] = [];
    const listener = (w: Error) => seen.push(w.message);
    process.on('warning', listener);
    withoutSdkWarnings(() => {
      process.emitWarning('NodeVersionSupportWarning: The AWS SDK for JavaScript (v3) will require node >=22.');
      process.emitWarning('something else', 'ExperimentalWarning');
    });
    // 'warning' events arrive on a later tick.
    return new Promise<void>((resolve) =>
      setImmediate(() => {
        process.off('warning', listener);
        expect(seen).toEqual(['something else']);
        expect(sdkWarnings.some((w) => w.startsWith('NodeVersionSupportWarning'))).toBe(true);
        resolve();
      }),
    );
  });

  it('plans, without calling AWS, a step whose inputs come from steps not run yet (dry-run)', async () => {
    const instance = Unknown.of('steps.restore.outputs.instance');
    const input = { instance };
    expect(defaultRegistry.get('rds.wait-available')!.effect(input, { readonly: false })).toBe('write');
    expect(defaultRegistry.get('rds.wait-available')!.effect({ instance: 'db1' }, { readonly: false })).toBe('read');
    const plan = await (await load('rds.wait-available')).plan(input, fakeContext());
    expect(plan).toEqual({
      summary: 'RDS DescribeDBInstances: wait until <unknown: steps.restore.outputs.instance> is available',
      details: ['input {"instance":"<unknown: steps.restore.outputs.instance>"}', 'known only at run time: steps.restore.outputs.instance; checks against AWS happen then'],
    });
    const deploy = await (await load('ecs.deploy')).plan({ cluster: 'prod', service: 'api', task_definition: new Unknown(['steps.register.outputs.arn'], 'api:<unknown: steps.register.outputs.arn>') }, fakeContext());
    expect(deploy.summary).toBe('ECS RegisterTaskDefinition + UpdateService: deploy to service prod/api');
    expect(deploy.details?.[1]).toBe('known only at run time: steps.register.outputs.arn; checks against AWS happen then');
  });
});
