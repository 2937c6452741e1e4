import { s } from '../../../runbook/schema-dsl';
import type { ActionDefinition } from '../../types';
import { waitFields } from '../common-schema';
import { readUnlessUnknown } from '../unknown';

const IDENTIFIER = '^[A-Za-z][A-Za-z0-9-]*$';
const instance = s.string({ description: 'DB instance identifier', pattern: IDENTIFIER });
const AVAILABLE = 'the instance is available';
const instanceOutputs = ['instance', 'status', 'endpoint', 'port', 'class', 'engine', 'engine_version', 'multi_az', 'arn'] as const;

export const rdsSnapshot: ActionDefinition = {
  key: 'rds.snapshot',
  summary: 'Create a manual DB snapshot and wait until it is available',
  schema: s.object(
    {
      instance,
      snapshot: s.string({ description: 'New snapshot identifier (letters, digits, hyphens; starts with a letter)', pattern: IDENTIFIER }),
      tags: s.map(s.string(), { description: 'Tags for the snapshot' }),
      ...waitFields('the snapshot is available', { interval: '15s', maxWait: '2h' }),
    },
    { required: ['instance', 'snapshot'] },
  ),
  effect: () => 'write',
  outputs: ['snapshot', 'snapshot_arn', 'status', 'instance', 'percent_progress'],
  load: () => import('./snapshot').then((m) => m.rdsSnapshotImpl),
};

export const rdsRestore: ActionDefinition = {
  key: 'rds.restore',
  summary: 'Create a DB instance from a snapshot and wait until it is available',
  schema: s.object(
    {
      snapshot: s.string({ description: 'Snapshot identifier or ARN to restore from' }),
      instance: s.string({ description: 'Identifier of the new DB instance', pattern: IDENTIFIER }),
      class: s.string({ description: 'Instance class, e.g. db.r5.large (default: the snapshot’s)' }),
      subnet_group: s.string({ description: 'DB subnet group name' }),
      security_groups: s.array(s.string(), { description: 'VPC security group ids' }),
      multi_az: s.boolean(),
      publicly_accessible: s.boolean(),
      ...waitFields(AVAILABLE, { interval: '30s', maxWait: '2h' }),
    },
    { required: ['snapshot', 'instance'] },
  ),
  effect: () => 'write',
  outputs: [...instanceOutputs],
  load: () => import('./restore').then((m) => m.rdsRestoreImpl),
};

export const rdsDescribe: ActionDefinition = {
  key: 'rds.describe',
  summary: 'Read a DB instance: status, endpoint, class, engine, replica source',
  schema: s.object({ instance }, { required: ['instance'] }),
  effect: readUnlessUnknown,
  outputs: [...instanceOutputs, 'replica_source', 'allocated_storage'],
  load: () => import('./describe').then((m) => m.rdsDescribeImpl),
};

export const rdsReboot: ActionDefinition = {
  key: 'rds.reboot',
  summary: 'Reboot a DB instance (optionally failing over to the standby) and wait until it is available',
  schema: s.object({ instance, force_failover: s.boolean('Fail over to the Multi-AZ standby'), ...waitFields(AVAILABLE, { interval: '15s', maxWait: '30m' }) }, { required: ['instance'] }),
  effect: () => 'write',
  outputs: [...instanceOutputs],
  load: () => import('./reboot').then((m) => m.rdsRebootImpl),
};

export const rdsPromoteReplica: ActionDefinition = {
  key: 'rds.promote-replica',
  summary: 'Promote a read replica to a standalone DB instance and wait until it is available',
  schema: s.object(
    { instance, backup_retention: s.integer({ min: 0, max: 35, description: 'Days of automated backups on the promoted instance' }), ...waitFields('the promoted instance is available', { interval: '15s', maxWait: '1h' }) },
    { required: ['instance'] },
  ),
  effect: () => 'write',
  outputs: [...instanceOutputs],
  load: () => import('./promote').then((m) => m.rdsPromoteImpl),
};

export const rdsWaitAvailable: ActionDefinition = {
  key: 'rds.wait-available',
  summary: 'Wait until a DB instance is available',
  schema: s.object({ instance, ...waitFields(AVAILABLE, { interval: '15s', maxWait: '1h' }) }, { required: ['instance'] }),
  effect: readUnlessUnknown,
  outputs: [...instanceOutputs],
  load: () => import('./wait-available').then((m) => m.rdsWaitAvailableImpl),
};

export const rdsDefinitions: readonly ActionDefinition[] = [rdsSnapshot, rdsRestore, rdsDescribe, rdsReboot, rdsPromoteReplica, rdsWaitAvailable];
