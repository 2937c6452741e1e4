import { DescribeServicesCommand, ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { ChangeResourceRecordSetsCommand, GetChangeCommand, Route53Client } from '@aws-sdk/client-route-53';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { defaultRegistry } from '../../../../src/adapters/registry';
import { fakeContext, instantClock, load } from '../helpers';

const ecs = mockClient(ECSClient);
const r53 = mockClient(Route53Client);
afterAll(() => {
  ecs.restore();
  r53.restore();
});
beforeEach(() => {
  ecs.reset();
  r53.reset();
});
const ctx = () => fakeContext({ clock: instantClock(), env: { AWS_REGION: 'us-east-1' } });

describe('aws (any operation)', () => {
  it('declares reads and writes by the operation name', () => {
    const definition = defaultRegistry.get('aws')!;
    expect(definition.effect({ service: 'ecs', operation: 'describe-services' }, { readonly: false })).toBe('read');
    expect(definition.effect({ service: 'rds', operation: 'ListTagsForResource' }, { readonly: false })).toBe('read');
    expect(definition.effect({ service: 'ecs', operation: 'update-service' }, { readonly: false })).toBe('write');
  });

  it('calls the operation with its input as given (kebab-case name accepted)', async () => {
    ecs.on(DescribeServicesCommand).resolves({ services: [{ serviceName: 'api', desiredCount: 3 }] });
    const outcome = await (await load('aws')).run({ service: 'ecs', operation: 'describe-services', input: { cluster: 'prod', services: ['api'] } }, ctx());
    expect(ecs.commandCalls(DescribeServicesCommand)[0]!.args[0].input).toEqual({ cluster: 'prod', services: ['api'] });
    expect(outcome).toMatchObject({ type: 'success', outputs: { response: { services: [{ serviceName: 'api', desiredCount: 3 }] } } });
    expect(outcome.type === 'success' && JSON.parse(outcome.text ?? '')).toEqual({ services: [{ serviceName: 'api', desiredCount: 3 }] });
  });

  it('waits after UpdateService until the service is stable', async () => {
    ecs.on(UpdateServiceCommand).resolves({ service: { serviceName: 'api', deployments: [{ id: 'd1', status: 'PRIMARY', desiredCount: 1, runningCount: 0 }] } });
    ecs.on(DescribeServicesCommand).resolvesOnce({ services: [{ serviceName: 'api', status: 'ACTIVE', deployments: [{ id: 'd1', status: 'PRIMARY', desiredCount: 1, runningCount: 0 }] }] }).resolves({ services: [{ serviceName: 'api', status: 'ACTIVE', deployments: [{ id: 'd1', status: 'PRIMARY', desiredCount: 1, runningCount: 1, rolloutState: 'COMPLETED' }] }] });
    const outcome = await (await load('aws')).run({ service: 'ecs', operation: 'UpdateService', input: { cluster: 'prod', service: 'api', desiredCount: 1 } }, ctx());
    expect(outcome.type).toBe('success');
    expect(ecs.commandCalls(DescribeServicesCommand)).toHaveLength(2);
  });

  it('waits for INSYNC after ChangeResourceRecordSets', async () => {
    r53.on(ChangeResourceRecordSetsCommand).resolves({ ChangeInfo: { Id: '/change/C9', Status: 'PENDING', SubmittedAt: new Date() } });
    r53.on(GetChangeCommand).resolves({ ChangeInfo: { Id: '/change/C9', Status: 'INSYNC', SubmittedAt: new Date() } });
    const input = { HostedZoneId: 'Z1', ChangeBatch: { Changes: [{ Action: 'DELETE', ResourceRecordSet: { Name: 'x.example.com.', Type: 'A', TTL: 60, ResourceRecords: [{ Value: '1.1.1.1' }] } }] } };
    const outcome = await (await load('aws')).run({ service: 'route53', operation: 'ChangeResourceRecordSets', input }, ctx());
    expect(r53.commandCalls(ChangeResourceRecordSetsCommand)[0]!.args[0].input).toEqual(input);
    expect(r53.commandCalls(GetChangeCommand)[0]!.args[0].input).toEqual({ Id: 'C9' });
    expect(outcome.type).toBe('success');
  });

  it('suggests near operation names for a typo', async () => {
    const outcome = await (await load('aws')).run({ service: 'ecs', operation: 'DescribeService', input: {} }, ctx());
    expect(outcome).toMatchObject({ type: 'failure', reason: 'invalid-input' });
    expect(outcome.type === 'failure' && outcome.message).toContain('ecs has no operation `DescribeService`; did you mean DescribeServices');
  });

  it('plans the operation and its input without calling AWS', async () => {
    const plan = await (await load('aws')).plan({ service: 'rds', operation: 'modify-db-instance', input: { DBInstanceIdentifier: 'db1', DBInstanceClass: 'db.r5.xlarge', ApplyImmediately: true } }, { ...ctx(), noChecks: false });
    expect(plan).toEqual({
      summary: 'AWS rds ModifyDBInstance',
      details: ['ModifyDBInstance {"DBInstanceIdentifier":"db1","DBInstanceClass":"db.r5.xlarge","ApplyImmediately":true}', 'then wait until the instance is available (poll every 10s, at most 30m)'],
    });
  });
});
