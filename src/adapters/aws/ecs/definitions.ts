import { s } from '../../../runbook/schema-dsl';
import type { ActionDefinition } from '../../types';
import { waitFields } from '../common-schema';
import { readUnlessUnknown } from '../unknown';

const STABLE = 'the service is stable (rollout complete, running = desired)';
const ecsWait = { ...waitFields(STABLE, { interval: '15s', maxWait: '30m' }), wait: s.oneOf([s.boolean(), s.enumOf(['stable'])], `Wait until ${STABLE} (default true)`) };
const cluster = s.string({ description: 'Cluster name or ARN' });
const service = s.string({ description: 'Service name or ARN' });

export const ecsDeploy: ActionDefinition = {
  key: 'ecs.deploy',
  summary: 'Roll out a new image or task definition to an ECS service and wait until it is stable',
  schema: s.object(
    {
      cluster,
      service,
      image: s.string({ description: 'New image for `container`: a new task-definition revision is registered from the current one' }),
      task_definition: s.string({ description: 'Task definition (family:revision or ARN) to deploy as is, instead of `image`' }),
      container: s.string({ description: 'Container whose image changes (needed when the task definition has several)' }),
      ...ecsWait,
    },
    { required: ['cluster', 'service'] },
  ),
  effect: () => 'write',
  outputs: ['task_definition', 'previous_task_definition', 'deployment_id', 'service_arn', 'image', 'running_count', 'desired_count'],
  autoUndo: true,
  load: () => import('./deploy').then((m) => m.ecsDeployImpl),
};

export const ecsScale: ActionDefinition = {
  key: 'ecs.scale',
  summary: 'Set the desired count of an ECS service and wait until it is reached',
  schema: s.object({ cluster, service, desired_count: s.integer({ min: 0, description: 'Tasks to run' }), ...ecsWait }, { required: ['cluster', 'service', 'desired_count'] }),
  effect: () => 'write',
  outputs: ['desired_count', 'previous_desired_count', 'running_count', 'service_arn'],
  autoUndo: true,
  load: () => import('./scale').then((m) => m.ecsScaleImpl),
};

export const ecsRestart: ActionDefinition = {
  key: 'ecs.restart',
  summary: 'Force a new deployment of an ECS service (fresh tasks, same task definition) and wait until it is stable',
  schema: s.object({ cluster, service, ...ecsWait }, { required: ['cluster', 'service'] }),
  effect: () => 'write',
  outputs: ['deployment_id', 'task_definition', 'running_count', 'desired_count', 'service_arn'],
  load: () => import('./restart').then((m) => m.ecsRestartImpl),
};

export const ecsRunTask: ActionDefinition = {
  key: 'ecs.run-task',
  summary: 'Run a one-off ECS task, wait until it stops, and fail on a non-zero exit code',
  schema: s.object(
    {
      cluster,
      task_definition: s.string({ description: 'Task definition family, family:revision or ARN' }),
      command: s.oneOf([s.array(s.string()), s.string()], 'Command override for the container: a list of arguments, or a string run with `sh -c`'),
      container: s.string({ description: 'Container the command and environment apply to (default: the first one)' }),
      environment: s.map(s.string(), { description: 'Environment variables for the container' }),
      launch_type: s.enumOf(['FARGATE', 'EC2', 'EXTERNAL', 'MANAGED_INSTANCES']),
      network: s.object({
        subnets: s.array(s.string(), { minItems: 1 }),
        security_groups: s.array(s.string()),
        assign_public_ip: s.boolean(),
      }),
      started_by: s.string({ description: 'Tag shown in the ECS console (default opsctl)' }),
      ...waitFields('the task has stopped', { interval: '6s', maxWait: '1h' }),
    },
    { required: ['cluster', 'task_definition'] },
  ),
  effect: () => 'write',
  outputs: ['task_arn', 'exit_code', 'stopped_reason', 'last_status'],
  load: () => import('./run-task').then((m) => m.ecsRunTaskImpl),
};

export const ecsWaitStable: ActionDefinition = {
  key: 'ecs.wait-stable',
  summary: 'Wait until an ECS service is stable',
  schema: s.object({ cluster, service, ...waitFields(STABLE, { interval: '15s', maxWait: '30m' }) }, { required: ['cluster', 'service'] }),
  effect: readUnlessUnknown,
  outputs: ['running_count', 'desired_count', 'task_definition', 'service_arn'],
  load: () => import('./wait-stable').then((m) => m.ecsWaitStableImpl),
};

export const ecsDescribe: ActionDefinition = {
  key: 'ecs.describe',
  summary: 'Read an ECS service: status, counts, task definition, deployments, recent events',
  schema: s.object({ cluster, service }, { required: ['cluster', 'service'] }),
  effect: readUnlessUnknown,
  outputs: ['status', 'running_count', 'desired_count', 'pending_count', 'task_definition', 'rollout_state', 'service_arn', 'events'],
  load: () => import('./describe').then((m) => m.ecsDescribeImpl),
};

export const ecsDefinitions: readonly ActionDefinition[] = [ecsDeploy, ecsScale, ecsRestart, ecsRunTask, ecsWaitStable, ecsDescribe];
