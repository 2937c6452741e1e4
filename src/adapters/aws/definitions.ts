import { s } from '../../runbook/schema-dsl';
import type { ActionDefinition } from '../types';
import { waitFields } from './common-schema';
import { ecsDefinitions } from './ecs/definitions';
import { AWS_SERVICES, isReadOperation } from './generic-operation';
import { rdsDefinitions } from './rds/definitions';
import { readUnlessUnknown } from './unknown';
import { route53Definitions } from './route53/definitions';

/** `aws`: any operation of the ECS, RDS and Route 53 clients, as an escape hatch. */
export const awsGeneric: ActionDefinition = {
  key: 'aws',
  summary: 'Call any ECS, RDS or Route 53 operation with its SDK input, and wait where a waiter applies',
  schema: s.object(
    {
      service: s.enumOf([...AWS_SERVICES], 'Which client'),
      operation: s.string({ description: 'Operation name: UpdateService or update-service' }),
      input: s.map(s.any(), { description: 'The operation’s input, as the AWS API spells it (e.g. { cluster, service } for ECS, { DBInstanceIdentifier } for RDS)' }),
      ...waitFields('the operation’s change is complete (where a waiter applies)', { interval: '10s', maxWait: '30m' }),
    },
    { required: ['service', 'operation'] },
  ),
  effect: (input) => (typeof input.operation === 'string' && isReadOperation(input.operation) ? readUnlessUnknown(input) : 'write'),
  outputs: ['response'],
  load: () => import('./generic').then((m) => m.awsGenericImpl),
};

/** Every AWS action, for the adapter registry. Light: no SDK is imported until a step runs. */
export const awsDefinitions: readonly ActionDefinition[] = [...ecsDefinitions, ...rdsDefinitions, ...route53Definitions, awsGeneric];
