import {
  CreateDBSnapshotCommand,
  DBInstanceNotFoundFault,
  DescribeDBInstancesCommand,
  DescribeDBSnapshotsCommand,
  PromoteReadReplicaCommand,
  RDSClient,
  RebootDBInstanceCommand,
  RestoreDBInstanceFromDBSnapshotCommand,
  type DBInstance,
} from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeContext, instantClock, load } from '../helpers';

const rds = mockClient(RDSClient);
afterAll(() => rds.restore());
beforeEach(() => rds.reset());

const ctx = (over: Parameters<typeof fakeContext>[0] = {}) => fakeContext({ clock: instantClock(), env: { AWS_REGION: 'us-east-1' }, ...over });
const db = (over: Partial<DBInstance>): DBInstance => ({
  DBInstanceIdentifier: 'axiomcore-production',
  DBInstanceStatus: 'available',
  DBInstanceClass: 'db.r5.large',
  Engine: 'postgres',
  EngineVersion: '16.3',
  MultiAZ: true,
  Endpoint: { Address: 'axiomcore-production.abc.us-east-1.rds.amazonaws.com', Port: 5432 },
  DBInstanceArn: 'arn:aws:rds:us-east-1:123456789012:db:axiomcore-production',
  ...over,
});

describe('rds.snapshot', () => {
  it('creates the snapshot with tags and reports its progress until available', async () => {
    rds.on(CreateDBSnapshotCommand).resolves({ DBSnapshot: { DBSnapshotIdentifier: 'pre-deploy-1', Status: 'creating', PercentProgress: 0 } });
    rds
      .on(DescribeDBSnapshotsCommand)
      .resolvesOnce({ DBSnapshots: [{ DBSnapshotIdentifier: 'pre-deploy-1', Status: 'creating', PercentProgress: 40 }] })
      .resolvesOnce({ DBSnapshots: [{ DBSnapshotIdentifier: 'pre-deploy-1', Status: 'creating', PercentProgress: 85 }] })
      .resolves({ DBSnapshots: [{ DBSnapshotIdentifier: 'pre-deploy-1', Status: 'available', PercentProgress: 100, DBSnapshotArn: 'arn:aws:rds:us-east-1:1:snapshot:pre-deploy-1' }] });
    const c = ctx();
    const outcome = await (await load('rds.snapshot')).run({ instance: 'axiomcore-production', snapshot: 'pre-deploy-1', tags: { reason: 'deploy' } }, c);
    expect(rds.commandCalls(CreateDBSnapshotCommand)[0]!.args[0].input).toEqual({ DBInstanceIdentifier: 'axiomcore-production', DBSnapshotIdentifier: 'pre-deploy-1', Tags: [{ Key: 'reason', Value: 'deploy' }] });
    expect(rds.commandCalls(DescribeDBSnapshotsCommand)[0]!.args[0].input).toEqual({ DBSnapshotIdentifier: 'pre-deploy-1' });
    expect(c.recorded.progress).toEqual(['snapshot pre-deploy-1: creating', 'snapshot pre-deploy-1: creating, 40%', 'snapshot pre-deploy-1: creating, 85%']);
    expect(outcome).toMatchObject({ type: 'success', outputs: { snapshot: 'pre-deploy-1', status: 'available', snapshot_arn: 'arn:aws:rds:us-east-1:1:snapshot:pre-deploy-1', percent_progress: 100 } });
  });

  it('fails when the snapshot fails, saying where to look', async () => {
    rds.on(CreateDBSnapshotCommand).resolves({ DBSnapshot: { DBSnapshotIdentifier: 's1', Status: 'creating' } });
    rds.on(DescribeDBSnapshotsCommand).resolves({ DBSnapshots: [{ DBSnapshotIdentifier: 's1', DBInstanceIdentifier: 'db1', Status: 'failed', PercentProgress: 12 }] });
    const outcome = await (await load('rds.snapshot')).run({ instance: 'db1', snapshot: 's1' }, ctx());
    expect(outcome).toMatchObject({ type: 'failure', reason: 'aws-error', errorKind: 'SnapshotFailed' });
    expect(outcome.type === 'failure' && outcome.message).toBe('DB snapshot `s1` of `db1` failed at 12%. Check `aws rds describe-events --source-identifier s1 --source-type db-snapshot`.');
  });

  it('refuses an identifier RDS would reject, before calling AWS', async () => {
    const outcome = await (await load('rds.snapshot')).run({ instance: 'db1', snapshot: 'pre_deploy_2026' }, ctx());
    expect(outcome).toMatchObject({ type: 'failure', reason: 'invalid-input', message: 'rds.snapshot: snapshot identifier `pre_deploy_2026` may hold only letters, digits and hyphens' });
    expect(rds.calls()).toHaveLength(0);
  });

  it('does not wait with wait: false', async () => {
    rds.on(CreateDBSnapshotCommand).resolves({ DBSnapshot: { DBSnapshotIdentifier: 's1', Status: 'creating' } });
    const outcome = await (await load('rds.snapshot')).run({ instance: 'db1', snapshot: 's1', wait: false }, ctx());
    expect(outcome).toMatchObject({ type: 'success', outputs: { status: 'creating' } });
    expect(rds.commandCalls(DescribeDBSnapshotsCommand)).toHaveLength(0);
  });
});

describe('rds.restore', () => {
  it('restores with class, subnet group and security groups, then waits until available', async () => {
    rds.on(RestoreDBInstanceFromDBSnapshotCommand).resolves({ DBInstance: db({ DBInstanceIdentifier: 'restored', DBInstanceStatus: 'creating' }) });
    rds
      .on(DescribeDBInstancesCommand)
      .resolvesOnce({ DBInstances: [db({ DBInstanceIdentifier: 'restored', DBInstanceStatus: 'creating' })] })
      .resolvesOnce({ DBInstances: [db({ DBInstanceIdentifier: 'restored', DBInstanceStatus: 'backing-up' })] })
      .resolves({ DBInstances: [db({ DBInstanceIdentifier: 'restored' })] });
    const c = ctx();
    const outcome = await (await load('rds.restore')).run({ snapshot: 'pre-deploy-1', instance: 'restored', class: 'db.r5.xlarge', subnet_group: 'private', security_groups: ['sg-1'], multi_az: false }, c);
    expect(rds.commandCalls(RestoreDBInstanceFromDBSnapshotCommand)[0]!.args[0].input).toEqual({
      DBInstanceIdentifier: 'restored',
      DBSnapshotIdentifier: 'pre-deploy-1',
      DBInstanceClass: 'db.r5.xlarge',
      DBSubnetGroupName: 'private',
      VpcSecurityGroupIds: ['sg-1'],
      MultiAZ: false,
    });
    expect(c.recorded.progress).toEqual(['instance restored: creating', 'instance restored: backing-up']);
    expect(outcome).toMatchObject({ type: 'success', outputs: { instance: 'restored', status: 'available', endpoint: 'axiomcore-production.abc.us-east-1.rds.amazonaws.com', port: 5432 } });
  });

  it('plans with a live check that the target does not exist yet', async () => {
    rds.on(DescribeDBSnapshotsCommand).resolves({ DBSnapshots: [{ DBSnapshotIdentifier: 's1', Status: 'available', Engine: 'postgres', SnapshotCreateTime: new Date('2026-11-01T00:00:00Z') }] });
    rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [db({ DBInstanceIdentifier: 'restored' })] });
    const plan = await (await load('rds.restore')).plan({ snapshot: 's1', instance: 'restored' }, ctx());
    expect(plan.details?.[0]).toBe('check failed: DB instance `restored` already exists (available); the restore would fail — pick a new identifier');
    expect(plan.details?.[1]).toBe('now: snapshot s1 is available (postgres, taken 2026-11-01T00:00:00.000Z)');
    expect(rds.commandCalls(RestoreDBInstanceFromDBSnapshotCommand)).toHaveLength(0);
  });

  it('fails for good on incompatible-restore', async () => {
    rds.on(RestoreDBInstanceFromDBSnapshotCommand).resolves({ DBInstance: db({ DBInstanceIdentifier: 'restored', DBInstanceStatus: 'creating' }) });
    rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [db({ DBInstanceIdentifier: 'restored', DBInstanceStatus: 'incompatible-restore' })] });
    const outcome = await (await load('rds.restore')).run({ snapshot: 's1', instance: 'restored' }, ctx());
    expect(outcome).toMatchObject({ type: 'failure', errorKind: 'InstanceStatus:incompatible-restore' });
  });
});

describe('rds.reboot, rds.promote-replica, rds.describe, rds.wait-available', () => {
  it('reboots with failover and waits', async () => {
    rds.on(RebootDBInstanceCommand).resolves({ DBInstance: db({ DBInstanceStatus: 'rebooting' }) });
    rds.on(DescribeDBInstancesCommand).resolvesOnce({ DBInstances: [db({ DBInstanceStatus: 'rebooting' })] }).resolves({ DBInstances: [db({})] });
    const outcome = await (await load('rds.reboot')).run({ instance: 'axiomcore-production', force_failover: true }, ctx());
    expect(rds.commandCalls(RebootDBInstanceCommand)[0]!.args[0].input).toEqual({ DBInstanceIdentifier: 'axiomcore-production', ForceFailover: true });
    expect(outcome).toMatchObject({ type: 'success', outputs: { status: 'available' } });
  });

  it('promotes a replica and waits until it no longer replicates', async () => {
    rds.on(PromoteReadReplicaCommand).resolves({ DBInstance: db({ DBInstanceIdentifier: 'replica', DBInstanceStatus: 'modifying', ReadReplicaSourceDBInstanceIdentifier: 'primary' }) });
    rds
      .on(DescribeDBInstancesCommand)
      .resolvesOnce({ DBInstances: [db({ DBInstanceIdentifier: 'replica', ReadReplicaSourceDBInstanceIdentifier: 'primary' })] })
      .resolves({ DBInstances: [db({ DBInstanceIdentifier: 'replica' })] });
    const c = ctx();
    const outcome = await (await load('rds.promote-replica')).run({ instance: 'replica', backup_retention: 7 }, c);
    expect(rds.commandCalls(PromoteReadReplicaCommand)[0]!.args[0].input).toEqual({ DBInstanceIdentifier: 'replica', BackupRetentionPeriod: 7 });
    expect(c.recorded.progress).toContain('instance replica: available, still replicating from primary');
    expect(outcome).toMatchObject({ type: 'success', outputs: { instance: 'replica' } });
  });

  it('describe names a missing instance', async () => {
    rds.on(DescribeDBInstancesCommand).rejects(new DBInstanceNotFoundFault({ message: 'DBInstance nope not found.', $metadata: {} }));
    const outcome = await (await load('rds.describe')).run({ instance: 'nope' }, ctx());
    expect(outcome).toMatchObject({ type: 'failure', errorKind: 'NotFound', message: 'rds.describe: DB instance `nope` not found. Check the identifier, e.g. with `aws rds describe-db-instances`.' });
  });

  it('describe returns the instance facts', async () => {
    rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [db({ ReadReplicaSourceDBInstanceIdentifier: 'primary', AllocatedStorage: 100 })] });
    const outcome = await (await load('rds.describe')).run({ instance: 'axiomcore-production' }, ctx());
    expect(outcome).toMatchObject({ type: 'success', outputs: { status: 'available', class: 'db.r5.large', engine: 'postgres', multi_az: true, replica_source: 'primary', allocated_storage: 100 } });
  });

  it('wait-available reports the state and ends when available', async () => {
    rds.on(DescribeDBInstancesCommand).resolvesOnce({ DBInstances: [db({ DBInstanceStatus: 'modifying', PendingModifiedValues: { DBInstanceClass: 'db.r5.xlarge' } })] }).resolves({ DBInstances: [db({})] });
    const c = ctx();
    const outcome = await (await load('rds.wait-available')).run({ instance: 'axiomcore-production' }, c);
    expect(c.recorded.progress).toEqual(['instance axiomcore-production: modifying (pending modifications)']);
    expect(outcome.type).toBe('success');
  });
});
