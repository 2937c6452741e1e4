import { ChangeResourceRecordSetsCommand, GetChangeCommand, ListHostedZonesByNameCommand, ListResourceRecordSetsCommand, Route53Client, type ResourceRecordSet } from '@aws-sdk/client-route-53';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeContext, instantClock, load } from '../helpers';

const r53 = mockClient(Route53Client);
afterAll(() => r53.restore());
beforeEach(() => r53.reset());

const ctx = (over: Parameters<typeof fakeContext>[0] = {}) => fakeContext({ clock: instantClock(), env: { AWS_REGION: 'us-east-1' }, ...over });
const current: ResourceRecordSet = { Name: 'api.example.com.', Type: 'CNAME', TTL: 300, ResourceRecords: [{ Value: 'lb-old.example.com' }] };
const neighbour: ResourceRecordSet = { Name: 'api.example.com.', Type: 'TXT', TTL: 300, ResourceRecords: [{ Value: '"v=1"' }] };

describe('route53.upsert', () => {
  it('reads the record it replaces, upserts, waits for INSYNC and keeps the old set for undo', async () => {
    r53.on(ListResourceRecordSetsCommand).resolves({ ResourceRecordSets: [current, neighbour], IsTruncated: false, MaxItems: 100 });
    r53.on(ChangeResourceRecordSetsCommand).resolves({ ChangeInfo: { Id: '/change/C1', Status: 'PENDING', SubmittedAt: new Date() } });
    r53.on(GetChangeCommand).resolvesOnce({ ChangeInfo: { Id: '/change/C1', Status: 'PENDING', SubmittedAt: new Date() } }).resolves({ ChangeInfo: { Id: '/change/C1', Status: 'INSYNC', SubmittedAt: new Date() } });
    const impl = await load('route53.upsert');
    const input = { zone: 'Z123ABC', name: 'API.example.com', type: 'CNAME', ttl: 60, values: ['lb-new.example.com'], poll_interval: '1s' };
    const c = ctx();
    const outcome = await impl.run(input, c);
    expect(r53.commandCalls(ListResourceRecordSetsCommand)[0]!.args[0].input).toEqual({ HostedZoneId: 'Z123ABC', StartRecordName: 'api.example.com.', StartRecordType: 'CNAME', MaxItems: 100 });
    expect(r53.commandCalls(ChangeResourceRecordSetsCommand)[0]!.args[0].input).toEqual({
      HostedZoneId: 'Z123ABC',
      ChangeBatch: { Comment: 'opsctl: upsert api.example.com. CNAME', Changes: [{ Action: 'UPSERT', ResourceRecordSet: { Name: 'api.example.com.', Type: 'CNAME', TTL: 60, ResourceRecords: [{ Value: 'lb-new.example.com' }] } }] },
    });
    expect(r53.commandCalls(GetChangeCommand)[0]!.args[0].input).toEqual({ Id: 'C1' });
    expect(c.recorded.progress).toEqual(['api.example.com. CNAME ttl 300 [lb-old.example.com] → api.example.com. CNAME ttl 60 [lb-new.example.com]', 'change C1: PENDING']);
    expect(outcome).toMatchObject({ type: 'success', outputs: { change_id: 'C1', status: 'INSYNC', zone_id: 'Z123ABC', created: false }, undoFacts: { zone_id: 'Z123ABC', previous: current } });
    const facts = outcome.type === 'success' ? outcome.undoFacts ?? {} : {};
    expect(impl.undo?.(input, facts)).toEqual({ kind: 'route53.upsert', input: { zone: 'Z123ABC', name: 'api.example.com.', type: 'CNAME', values: ['lb-old.example.com'], ttl: 300, poll_interval: '1s' } });
  });

  it('undoes a record it created by deleting it; a weighted alias keeps its routing', async () => {
    r53.on(ListHostedZonesByNameCommand).resolves({ HostedZones: [{ Id: '/hostedzone/ZEXAMPLE', Name: 'example.com.', CallerReference: 'x' }, { Id: '/hostedzone/ZOTHER', Name: 'example.org.', CallerReference: 'y' }] });
    r53.on(ListResourceRecordSetsCommand).resolves({ ResourceRecordSets: [neighbour], IsTruncated: false, MaxItems: 100 });
    r53.on(ChangeResourceRecordSetsCommand).resolves({ ChangeInfo: { Id: '/change/C2', Status: 'PENDING', SubmittedAt: new Date() } });
    const impl = await load('route53.upsert');
    const input = { zone: 'example.com', name: 'api.example.com', type: 'A', alias: { zone: 'Z35SXDOTRQ7X7K', dns_name: 'green-lb.elb.amazonaws.com' }, set_identifier: 'green', weight: 10, wait: false };
    const outcome = await impl.run(input, ctx());
    expect(r53.commandCalls(ListHostedZonesByNameCommand)[0]!.args[0].input).toEqual({ DNSName: 'example.com.' });
    expect(r53.commandCalls(ChangeResourceRecordSetsCommand)[0]!.args[0].input.ChangeBatch?.Changes?.[0]?.ResourceRecordSet).toEqual({
      Name: 'api.example.com.',
      Type: 'A',
      AliasTarget: { HostedZoneId: 'Z35SXDOTRQ7X7K', DNSName: 'green-lb.elb.amazonaws.com', EvaluateTargetHealth: false },
      SetIdentifier: 'green',
      Weight: 10,
    });
    expect(r53.commandCalls(GetChangeCommand)).toHaveLength(0);
    expect(outcome).toMatchObject({ type: 'success', outputs: { created: true, status: 'PENDING', zone_id: 'ZEXAMPLE' } });
    const facts = outcome.type === 'success' ? outcome.undoFacts ?? {} : {};
    expect(impl.undo?.(input, facts)).toEqual({ kind: 'route53.delete', input: { zone: 'ZEXAMPLE', name: 'api.example.com.', type: 'A', set_identifier: 'green', wait: false } });
  });

  it('undoes with the generic aws action when the old set uses geolocation routing', async () => {
    const impl = await load('route53.upsert');
    const geo: ResourceRecordSet = { ...current, SetIdentifier: 'eu', GeoLocation: { ContinentCode: 'EU' } };
    expect(impl.undo?.({ zone: 'Z1' }, { zone_id: 'Z1', previous: geo })).toEqual({
      kind: 'aws',
      input: { service: 'route53', operation: 'ChangeResourceRecordSets', input: { HostedZoneId: 'Z1', ChangeBatch: { Comment: 'opsctl undo', Changes: [{ Action: 'UPSERT', ResourceRecordSet: geo }] } } },
    });
  });

  it('plans the record now and after, read live', async () => {
    r53.on(ListResourceRecordSetsCommand).resolves({ ResourceRecordSets: [current], IsTruncated: false, MaxItems: 100 });
    const plan = await (await load('route53.upsert')).plan({ zone: 'Z123ABC', name: 'api.example.com', type: 'CNAME', values: ['lb-new.example.com'] }, ctx());
    expect(plan.details?.slice(0, 2)).toEqual(['now:   api.example.com. CNAME ttl 300 [lb-old.example.com]', 'after: api.example.com. CNAME ttl 300 [lb-new.example.com]']);
    expect(r53.commandCalls(ChangeResourceRecordSetsCommand)).toHaveLength(0);
  });

  it('plans an upsert that changes nothing as such, and under --no-checks reads nothing', async () => {
    r53.on(ListResourceRecordSetsCommand).resolves({ ResourceRecordSets: [{ ResourceRecords: [{ Value: 'lb-old.example.com' }], TTL: 300, Type: 'CNAME', Name: 'api.example.com.' }], IsTruncated: false, MaxItems: 100 });
    const impl = await load('route53.upsert');
    const input = { zone: 'Z123ABC', name: 'api.example.com', type: 'CNAME', ttl: 300, values: ['lb-old.example.com'] };
    expect((await impl.plan(input, ctx())).details?.[1]).toBe('after: api.example.com. CNAME ttl 300 [lb-old.example.com] (no change)');
    r53.reset();
    expect((await impl.plan(input, ctx({ noChecks: true }))).details?.[0]).toBe('now: not read (--no-checks)');
    expect(r53.calls()).toHaveLength(0);
  });

  it('quotes TXT values and rejects weight without set_identifier', async () => {
    r53.on(ListResourceRecordSetsCommand).resolves({ ResourceRecordSets: [], IsTruncated: false, MaxItems: 100 });
    r53.on(ChangeResourceRecordSetsCommand).resolves({ ChangeInfo: { Id: 'C3', Status: 'INSYNC', SubmittedAt: new Date() } });
    await (await load('route53.upsert')).run({ zone: 'Z1', name: 'x.example.com', type: 'TXT', values: ['v=spf1 -all'] }, ctx());
    expect(r53.commandCalls(ChangeResourceRecordSetsCommand)[0]!.args[0].input.ChangeBatch?.Changes?.[0]?.ResourceRecordSet?.ResourceRecords).toEqual([{ Value: '"v=spf1 -all"' }]);
    const bad = await (await load('route53.upsert')).run({ zone: 'Z1', name: 'x.example.com', type: 'A', values: ['1.2.3.4'], weight: 5 }, ctx());
    expect(bad).toMatchObject({ type: 'failure', reason: 'invalid-input', message: 'route53.upsert: `set_identifier` is required with `weight`, `failover`, `region` or `multi_value`' });
  });
});

describe('route53.delete', () => {
  it('deletes the record exactly as it is and can put it back', async () => {
    r53.on(ListResourceRecordSetsCommand).resolves({ ResourceRecordSets: [current], IsTruncated: false, MaxItems: 100 });
    r53.on(ChangeResourceRecordSetsCommand).resolves({ ChangeInfo: { Id: 'C4', Status: 'INSYNC', SubmittedAt: new Date() } });
    r53.on(GetChangeCommand).resolves({ ChangeInfo: { Id: 'C4', Status: 'INSYNC', SubmittedAt: new Date() } });
    const impl = await load('route53.delete');
    const outcome = await impl.run({ zone: 'Z1', name: 'api.example.com', type: 'CNAME' }, ctx());
    expect(r53.commandCalls(ChangeResourceRecordSetsCommand)[0]!.args[0].input.ChangeBatch?.Changes).toEqual([{ Action: 'DELETE', ResourceRecordSet: current }]);
    expect(outcome).toMatchObject({ type: 'success', outputs: { deleted: true, change_id: 'C4' } });
    const facts = outcome.type === 'success' ? outcome.undoFacts ?? {} : {};
    expect(impl.undo?.({}, facts)).toMatchObject({ kind: 'route53.upsert', input: { zone: 'Z1', name: 'api.example.com.', values: ['lb-old.example.com'] } });
  });

  it('succeeds without a change when there is nothing to delete', async () => {
    r53.on(ListResourceRecordSetsCommand).resolves({ ResourceRecordSets: [neighbour], IsTruncated: false, MaxItems: 100 });
    const outcome = await (await load('route53.delete')).run({ zone: 'Z1', name: 'api.example.com', type: 'CNAME' }, ctx());
    expect(outcome).toMatchObject({ type: 'success', outputs: { deleted: false } });
    expect(r53.commandCalls(ChangeResourceRecordSetsCommand)).toHaveLength(0);
  });
});

describe('route53.weights', () => {
  const blue: ResourceRecordSet = { Name: 'api.example.com.', Type: 'A', SetIdentifier: 'blue', Weight: 100, TTL: 60, ResourceRecords: [{ Value: '10.0.0.1' }] };
  const green: ResourceRecordSet = { Name: 'api.example.com.', Type: 'A', SetIdentifier: 'green', Weight: 0, TTL: 60, ResourceRecords: [{ Value: '10.0.0.2' }] };

  it('shifts weights in one change batch and undoes to the old weights', async () => {
    r53.on(ListResourceRecordSetsCommand).resolves({ ResourceRecordSets: [blue, green], IsTruncated: false, MaxItems: 100 });
    r53.on(ChangeResourceRecordSetsCommand).resolves({ ChangeInfo: { Id: 'C5', Status: 'PENDING', SubmittedAt: new Date() } });
    r53.on(GetChangeCommand).resolves({ ChangeInfo: { Id: 'C5', Status: 'INSYNC', SubmittedAt: new Date() } });
    const impl = await load('route53.weights');
    const input = { zone: 'Z1', name: 'api.example.com', type: 'A', weights: { blue: 0, green: '100' } };
    const outcome = await impl.run(input, ctx());
    expect(r53.commandCalls(ChangeResourceRecordSetsCommand)[0]!.args[0].input.ChangeBatch?.Changes).toEqual([
      { Action: 'UPSERT', ResourceRecordSet: { ...blue, Weight: 0 } },
      { Action: 'UPSERT', ResourceRecordSet: { ...green, Weight: 100 } },
    ]);
    expect(outcome).toMatchObject({ type: 'success', outputs: { previous_weights: { blue: 100, green: 0 }, weights: { blue: 0, green: 100 }, status: 'INSYNC' } });
    const facts = outcome.type === 'success' ? outcome.undoFacts ?? {} : {};
    expect(impl.undo?.(input, facts)).toEqual({ kind: 'route53.weights', input: { zone: 'Z1', name: 'api.example.com.', type: 'A', weights: { blue: 100, green: 0 } } });
  });

  it('names the set identifiers that exist when one is wrong', async () => {
    r53.on(ListResourceRecordSetsCommand).resolves({ ResourceRecordSets: [blue, green], IsTruncated: false, MaxItems: 100 });
    const outcome = await (await load('route53.weights')).run({ zone: 'Z1', name: 'api.example.com', type: 'A', weights: { gren: 100 } }, ctx());
    expect(outcome).toMatchObject({ type: 'failure', reason: 'invalid-input', message: 'route53.weights: api.example.com. A has no weighted record with set_identifier `gren` (it has: blue, green)' });
  });
});
