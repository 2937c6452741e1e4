import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
  UpdateServiceCommand,
  type Deployment,
  type Service,
  type TaskDefinition,
} from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeContext, instantClock, load, timeoutError } from '../helpers';

const ecs = mockClient(ECSClient);
afterAll(() => ecs.restore());
beforeEach(() => ecs.reset());

const TD41 = 'arn:aws:ecs:us-east-1:123456789012:task-definition/api:41';
const TD42 = 'arn:aws:ecs:us-east-1:123456789012:task-definition/api:42';

const taskDefinition: TaskDefinition = {
  taskDefinitionArn: TD41,
  family: 'api',
  revision: 41,
  status: 'ACTIVE',
  networkMode: 'awsvpc',
  cpu: '512',
  memory: '1024',
  executionRoleArn: 'arn:aws:iam::123456789012:role/exec',
  requiresCompatibilities: ['FARGATE'],
  compatibilities: ['EC2', 'FARGATE'],
  registeredBy: 'someone',
  containerDefinitions: [
    { name: 'api', image: 'registry/api:1.2.2', essential: true, environment: [{ name: 'MODE', value: 'prod' }] },
    { name: 'sidecar', image: 'registry/envoy:1', essential: false },
  ],
};

const deployment = (over: Partial<Deployment>): Deployment => ({ id: 'ecs-svc/new', status: 'PRIMARY', taskDefinition: TD42, desiredCount: 2, runningCount: 0, pendingCount: 0, rolloutState: 'IN_PROGRESS', ...over });
const service = (deployments: Deployment[], over: Partial<Service> = {}): Service => ({
  serviceName: 'api',
  serviceArn: 'arn:aws:ecs:us-east-1:123456789012:service/prod/api',
  status: 'ACTIVE',
  desiredCount: 2,
  runningCount: deployments.reduce((n, d) => n + (d.runningCount ?? 0), 0),
  taskDefinition: deployments.find((d) => d.status === 'PRIMARY')?.taskDefinition ?? TD41,
  deployments,
  events: [{ message: '(service api) has reached a steady state.' }],
  ...over,
});
const stableOld = service([deployment({ id: 'ecs-svc/old', taskDefinition: TD41, runningCount: 2, rolloutState: 'COMPLETED' })]);

function ctx(over: Parameters<typeof fakeContext>[0] = {}) {
  return fakeContext({ clock: instantClock(), env: { AWS_REGION: 'us-east-1' }, ...over });
}

describe('ecs.deploy', () => {
  it('registers the next revision with the new image, updates the service and waits until the rollout completes', async () => {
    ecs
      .on(DescribeServicesCommand)
      .resolvesOnce({ services: [stableOld] })
      .resolvesOnce({ services: [service([deployment({ runningCount: 1, pendingCount: 1 }), deployment({ id: 'ecs-svc/old', status: 'ACTIVE', taskDefinition: TD41, runningCount: 2 })])] })
      .resolvesOnce({ services: [service([deployment({ runningCount: 2, rolloutState: 'COMPLETED' })])] });
    ecs.on(DescribeTaskDefinitionCommand).resolves({ taskDefinition, tags: [{ key: 'team', value: 'core' }] });
    ecs.on(RegisterTaskDefinitionCommand).resolves({ taskDefinition: { ...taskDefinition, taskDefinitionArn: TD42, revision: 42 } });
    ecs.on(UpdateServiceCommand).resolves({ service: service([deployment({}), deployment({ id: 'ecs-svc/old', status: 'ACTIVE', taskDefinition: TD41, runningCount: 2 })]) });
    const c = ctx();
    const outcome = await (await load('ecs.deploy')).run({ cluster: 'prod', service: 'api', image: 'registry/api:1.2.3', container: 'api', poll_interval: '1s' }, c);

    expect(outcome).toMatchObject({ type: 'success', outputs: { task_definition: TD42, previous_task_definition: TD41, deployment_id: 'ecs-svc/new', running_count: 2 }, undoFacts: { previous_task_definition: TD41, cluster: 'prod', service: 'api' } });
    const registered = ecs.commandCalls(RegisterTaskDefinitionCommand)[0]!.args[0].input;
    expect(registered.family).toBe('api');
    expect(registered.containerDefinitions?.map((x) => x.image)).toEqual(['registry/api:1.2.3', 'registry/envoy:1']);
    expect(registered.containerDefinitions?.[0]?.environment).toEqual([{ name: 'MODE', value: 'prod' }]);
    expect(registered.tags).toEqual([{ key: 'team', value: 'core' }]);
    expect(registered).not.toHaveProperty('revision');
    expect(registered).not.toHaveProperty('registeredBy');
    expect(registered).not.toHaveProperty('compatibilities');
    expect(ecs.commandCalls(UpdateServiceCommand)[0]!.args[0].input).toEqual({ cluster: 'prod', service: 'api', taskDefinition: TD42 });
    expect(c.recorded.progress).toContain('rollout IN_PROGRESS, running 1/2, pending 1, 1 other deployment still running 2');
    expect((c.clock as ReturnType<typeof instantClock>).slept).toEqual([1000]);
  });

  it('deploys a given task definition as is, and undo points back to the previous one', async () => {
    ecs.on(DescribeServicesCommand).resolvesOnce({ services: [stableOld] }).resolves({ services: [service([deployment({ runningCount: 2, rolloutState: 'COMPLETED' })])] });
    ecs.on(UpdateServiceCommand).resolves({ service: service([deployment({})]) });
    const impl = await load('ecs.deploy');
    const input = { cluster: 'prod', service: 'api', task_definition: 'api:42', max_wait: '5m' };
    const outcome = await impl.run(input, ctx());
    expect(ecs.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(0);
    expect(ecs.commandCalls(UpdateServiceCommand)[0]!.args[0].input.taskDefinition).toBe('api:42');
    expect(outcome.type).toBe('success');
    const facts = outcome.type === 'success' ? outcome.undoFacts ?? {} : {};
    expect(impl.undo?.(input, facts)).toEqual({ kind: 'ecs.deploy', input: { cluster: 'prod', service: 'api', task_definition: TD41, max_wait: '5m' } });
  });

  it('a retry that finds its own revision live keeps the draining revision as the one to undo to', async () => {
    const rolling = service([deployment({ runningCount: 1 }), deployment({ id: 'ecs-svc/old', status: 'ACTIVE', taskDefinition: TD41, runningCount: 1 })]);
    ecs.on(DescribeServicesCommand).resolvesOnce({ services: [rolling] }).resolves({ services: [service([deployment({ runningCount: 2, rolloutState: 'COMPLETED' })])] });
    ecs.on(DescribeTaskDefinitionCommand).resolves({ taskDefinition: { ...taskDefinition, taskDefinitionArn: TD42, revision: 42, containerDefinitions: [{ name: 'api', image: 'registry/api:1.2.3' }] } });
    ecs.on(UpdateServiceCommand).resolves({ service: rolling });
    const outcome = await (await load('ecs.deploy')).run({ cluster: 'prod', service: 'api', image: 'registry/api:1.2.3' }, ctx());
    expect(ecs.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(0);
    expect(outcome).toMatchObject({ type: 'success', undoFacts: { previous_task_definition: TD41 } });
  });

  it('explains a circuit-breaker rollback with the rollout reason, service events and stopped tasks', async () => {
    ecs
      .on(DescribeServicesCommand)
      .resolvesOnce({ services: [stableOld] })
      .resolves({
        services: [
          service(
            [
              deployment({ id: 'ecs-svc/rollback', status: 'PRIMARY', taskDefinition: TD41, runningCount: 1 }),
              deployment({ status: 'ACTIVE', rolloutState: 'FAILED', rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.', failedTasks: 3 }),
            ],
            { events: [{ message: '(service api) deployment failed: tasks failed to start.' }] },
          ),
        ],
      });
    ecs.on(UpdateServiceCommand).resolves({ service: service([deployment({})]) });
    ecs.on(ListTasksCommand).resolves({ taskArns: ['arn:aws:ecs:us-east-1:1:task/prod/abc123'] });
    ecs.on(DescribeTasksCommand).resolves({ tasks: [{ taskArn: 'arn:aws:ecs:us-east-1:1:task/prod/abc123', stoppedReason: 'Essential container in task exited', containers: [{ name: 'api', exitCode: 137, reason: 'OutOfMemoryError: Container killed due to memory usage' }] }] });
    const outcome = await (await load('ecs.deploy')).run({ cluster: 'prod', service: 'api', task_definition: 'api:42' }, ctx());
    expect(outcome.type).toBe('failure');
    if (outcome.type !== 'failure') return;
    expect(outcome.reason).toBe('aws-error');
    expect(outcome.errorKind).toBe('DeploymentFailed');
    expect(outcome.message).toContain('ECS deployment circuit breaker: tasks failed to start.');
    expect(outcome.message).toContain('rolled the service back to api:41');
    expect(outcome.message).toContain('deployment failed: tasks failed to start.');
    expect(outcome.message).toContain('task abc123: Essential container in task exited (container api exit code 137: OutOfMemoryError');
    expect(ecs.commandCalls(ListTasksCommand)[0]!.args[0].input).toEqual({ cluster: 'prod', serviceName: 'api', desiredStatus: 'STOPPED', maxResults: 3 });
  });

  it('asks which container when the task definition has several and none is named', async () => {
    ecs.on(DescribeServicesCommand).resolves({ services: [stableOld] });
    ecs.on(DescribeTaskDefinitionCommand).resolves({ taskDefinition });
    const outcome = await (await load('ecs.deploy')).run({ cluster: 'prod', service: 'api', image: 'x:1' }, ctx());
    expect(outcome).toMatchObject({ type: 'failure', reason: 'invalid-input' });
    expect(outcome.type === 'failure' && outcome.message).toContain('has 2 containers (api, sidecar); say which one with `container`');
    expect(ecs.commandCalls(UpdateServiceCommand)).toHaveLength(0);
  });

  it('names a missing service and how to list the real ones', async () => {
    ecs.on(DescribeServicesCommand).resolves({ services: [], failures: [{ arn: 'x', reason: 'MISSING' }] });
    const outcome = await (await load('ecs.deploy')).run({ cluster: 'prod', service: 'apj', image: 'x:1' }, ctx());
    expect(outcome).toMatchObject({ type: 'failure', reason: 'aws-error', errorKind: 'NotFound' });
    expect(outcome.type === 'failure' && outcome.message).toBe('ecs.deploy: service `apj` not found in cluster `prod` (MISSING). Check the names, e.g. with `aws ecs list-services --cluster prod`.');
  });

  it('plans the task-definition diff read live, and only the intent under --no-checks', async () => {
    ecs.on(DescribeServicesCommand).resolves({ services: [stableOld] });
    ecs.on(DescribeTaskDefinitionCommand).resolves({ taskDefinition });
    const impl = await load('ecs.deploy');
    const input = { cluster: 'prod', service: 'api', image: 'registry/api:1.2.3', container: 'api' };
    const plan = await impl.plan(input, ctx());
    expect(plan.summary).toBe('ECS RegisterTaskDefinition + UpdateService: deploy image registry/api:1.2.3 (container api) to service prod/api');
    expect(plan.details).toContain('  container api: image "registry/api:1.2.2" → "registry/api:1.2.3"');
    expect(plan.details?.[0]).toBe('now: api:41, running 2/2');
    expect(ecs.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(0);
    ecs.reset();
    const blind = await impl.plan(input, ctx({ noChecks: true }));
    expect(ecs.calls()).toHaveLength(0);
    expect(blind.details?.[0]).toContain('current definition not read: --no-checks');
  });
});

describe('ecs.scale', () => {
  it('sets the desired count, waits for it, and records the previous count for undo', async () => {
    ecs
      .on(DescribeServicesCommand)
      .resolvesOnce({ services: [stableOld] })
      .resolvesOnce({ services: [service([deployment({ id: 'ecs-svc/old', taskDefinition: TD41, desiredCount: 5, runningCount: 3, rolloutState: 'COMPLETED' })])] })
      .resolves({ services: [service([deployment({ id: 'ecs-svc/old', taskDefinition: TD41, desiredCount: 5, runningCount: 5, rolloutState: 'COMPLETED' })], { desiredCount: 5 })] });
    ecs.on(UpdateServiceCommand).resolves({ service: service([deployment({ desiredCount: 5 })], { desiredCount: 5 }) });
    const impl = await load('ecs.scale');
    const input = { cluster: 'prod', service: 'api', desired_count: '5', poll_interval: '2s' };
    const c = ctx();
    const outcome = await impl.run(input, c);
    expect(ecs.commandCalls(UpdateServiceCommand)[0]!.args[0].input).toEqual({ cluster: 'prod', service: 'api', desiredCount: 5 });
    expect(outcome).toMatchObject({ type: 'success', outputs: { desired_count: 5, previous_desired_count: 2, running_count: 5 } });
    expect(c.recorded.progress).toEqual(['desired count 2 → 5', 'running 3/5']);
    const facts = outcome.type === 'success' ? outcome.undoFacts ?? {} : {};
    expect(impl.undo?.(input, facts)).toEqual({ kind: 'ecs.scale', input: { cluster: 'prod', service: 'api', desired_count: 2, poll_interval: '2s' } });
  });

  it('rejects a count that is not a whole number before calling AWS', async () => {
    const outcome = await (await load('ecs.scale')).run({ cluster: 'prod', service: 'api', desired_count: 'many' }, ctx());
    expect(outcome).toMatchObject({ type: 'failure', reason: 'invalid-input', message: 'ecs.scale: `desired_count` must be a whole number, got "many"' });
    expect(ecs.calls()).toHaveLength(0);
  });

  it('gives up at max_wait with the last state it saw', async () => {
    ecs.on(DescribeServicesCommand).resolves({ services: [service([deployment({ id: 'ecs-svc/old', taskDefinition: TD41, desiredCount: 5, runningCount: 3, rolloutState: 'COMPLETED' })])] });
    ecs.on(UpdateServiceCommand).resolves({ service: stableOld });
    const outcome = await (await load('ecs.scale')).run({ cluster: 'prod', service: 'api', desired_count: 5, poll_interval: '10s', max_wait: '1m' }, ctx());
    expect(outcome).toMatchObject({ type: 'failure', reason: 'timeout', errorKind: 'WaiterTimedOut' });
    expect(outcome.type === 'failure' && outcome.message).toContain('Waiter timed out: max_wait 1m passed while waiting for ECS service `api` to become stable; last state: running 3/5');
  });

  it('stops waiting when the step timeout aborts the signal', async () => {
    ecs.on(DescribeServicesCommand).resolves({ services: [service([deployment({ desiredCount: 5, runningCount: 3 })])] });
    ecs.on(UpdateServiceCommand).resolves({ service: stableOld });
    const controller = new AbortController();
    const clock = instantClock();
    const c = ctx({ signal: controller.signal, timeoutMs: 60_000, clock: { now: clock.now, sleep: async (ms, signal) => { controller.abort(timeoutError(60_000)); return clock.sleep(ms, signal); } } });
    const outcome = await (await load('ecs.scale')).run({ cluster: 'prod', service: 'api', desired_count: 5 }, c);
    expect(outcome).toMatchObject({ type: 'failure', reason: 'timeout' });
    expect(outcome.type === 'failure' && outcome.message).toContain('the step timeout (1m) passed before AWS reported the change complete; last state: rollout IN_PROGRESS, running 3/5');
  });
});

describe('ecs.restart', () => {
  it('forces a new deployment and waits for that deployment', async () => {
    ecs.on(UpdateServiceCommand).resolves({ service: service([deployment({ id: 'ecs-svc/forced', taskDefinition: TD41 }), deployment({ id: 'ecs-svc/old', status: 'ACTIVE', taskDefinition: TD41, runningCount: 2 })]) });
    ecs.on(DescribeServicesCommand).resolves({ services: [service([deployment({ id: 'ecs-svc/forced', taskDefinition: TD41, runningCount: 2, rolloutState: 'COMPLETED' })])] });
    const outcome = await (await load('ecs.restart')).run({ cluster: 'prod', service: 'api' }, ctx());
    expect(ecs.commandCalls(UpdateServiceCommand)[0]!.args[0].input).toEqual({ cluster: 'prod', service: 'api', forceNewDeployment: true });
    expect(outcome).toMatchObject({ type: 'success', outputs: { deployment_id: 'ecs-svc/forced', running_count: 2 } });
  });
});

describe('ecs.run-task', () => {
  const TASK = 'arn:aws:ecs:us-east-1:123456789012:task/prod/0f1e2d';

  it('runs the command override in the first essential container on the given network and succeeds on exit 0', async () => {
    ecs.on(DescribeTaskDefinitionCommand).resolves({ taskDefinition: { ...taskDefinition, containerDefinitions: [{ name: 'log', essential: false }, { name: 'migrate', essential: true }] } });
    ecs.on(RunTaskCommand).resolves({ tasks: [{ taskArn: TASK, lastStatus: 'PROVISIONING' }] });
    ecs
      .on(DescribeTasksCommand)
      .resolvesOnce({ tasks: [{ taskArn: TASK, lastStatus: 'RUNNING' }] })
      .resolves({ tasks: [{ taskArn: TASK, lastStatus: 'STOPPED', stoppedReason: 'Essential container in task exited', containers: [{ name: 'migrate', exitCode: 0 }] }] });
    const c = ctx();
    const outcome = await (await load('ecs.run-task')).run(
      { cluster: 'prod', task_definition: 'migrate', command: ['npm', 'run', 'migrate:up'], environment: { DRY: 'no' }, launch_type: 'FARGATE', network: { subnets: ['subnet-1'], security_groups: ['sg-1'] } },
      c,
    );
    expect(ecs.commandCalls(RunTaskCommand)[0]!.args[0].input).toEqual({
      cluster: 'prod',
      taskDefinition: 'migrate',
      count: 1,
      startedBy: 'opsctl',
      launchType: 'FARGATE',
      networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-1'], securityGroups: ['sg-1'], assignPublicIp: 'DISABLED' } },
      overrides: { containerOverrides: [{ name: 'migrate', command: ['npm', 'run', 'migrate:up'], environment: [{ name: 'DRY', value: 'no' }] }] },
    });
    expect(outcome).toMatchObject({ type: 'success', outputs: { task_arn: TASK, exit_code: 0 } });
    expect(c.recorded.progress).toEqual(['task 0f1e2d started (PROVISIONING)', 'task 0f1e2d: RUNNING']);
  });

  it('fails with the container exit code and the stopped reason', async () => {
    ecs.on(RunTaskCommand).resolves({ tasks: [{ taskArn: TASK, lastStatus: 'PENDING' }] });
    ecs.on(DescribeTasksCommand).resolves({ tasks: [{ taskArn: TASK, lastStatus: 'STOPPED', stoppedReason: 'Essential container in task exited', stopCode: 'EssentialContainerExited', containers: [{ name: 'migrate', exitCode: 3, reason: 'relation "users" already exists' }] }] });
    const outcome = await (await load('ecs.run-task')).run({ cluster: 'prod', task_definition: 'migrate:7', container: 'migrate', command: 'npm run migrate:up' }, ctx());
    expect(ecs.commandCalls(RunTaskCommand)[0]!.args[0].input.overrides).toEqual({ containerOverrides: [{ name: 'migrate', command: ['sh', '-c', 'npm run migrate:up'] }] });
    expect(outcome).toMatchObject({ type: 'failure', reason: 'exit-non-zero', exitCode: 3, outputs: { exit_code: 3, task_arn: TASK } });
    expect(outcome.type === 'failure' && outcome.message).toBe('ECS task 0f1e2d exited with code 3: Essential container in task exited [EssentialContainerExited]; container migrate: relation "users" already exists');
  });

  it('fails with the placement failure when no task starts, and stops a task it stopped waiting for', async () => {
    ecs.on(RunTaskCommand).resolvesOnce({ tasks: [], failures: [{ reason: 'RESOURCE:MEMORY', detail: 'no container instance has 2048 MiB free' }] });
    const first = await (await load('ecs.run-task')).run({ cluster: 'prod', task_definition: 'migrate' }, ctx());
    expect(first).toMatchObject({ type: 'failure', errorKind: 'RESOURCE:MEMORY', message: 'ECS RunTask on `prod` started nothing: RESOURCE:MEMORY: no container instance has 2048 MiB free' });

    ecs.on(RunTaskCommand).resolves({ tasks: [{ taskArn: TASK, lastStatus: 'PENDING' }] });
    ecs.on(DescribeTasksCommand).resolves({ tasks: [{ taskArn: TASK, lastStatus: 'RUNNING' }] });
    ecs.on(StopTaskCommand).resolves({});
    const second = await (await load('ecs.run-task')).run({ cluster: 'prod', task_definition: 'migrate', max_wait: '30s', poll_interval: '10s' }, ctx());
    expect(second).toMatchObject({ type: 'failure', reason: 'timeout' });
    expect(ecs.commandCalls(StopTaskCommand)[0]!.args[0].input).toMatchObject({ cluster: 'prod', task: TASK });
  });
});

describe('ecs.wait-stable and ecs.describe', () => {
  it('wait-stable ends when the service is stable', async () => {
    ecs.on(DescribeServicesCommand).resolvesOnce({ services: [service([deployment({ runningCount: 1 })])] }).resolves({ services: [service([deployment({ runningCount: 2, rolloutState: 'COMPLETED' })])] });
    const outcome = await (await load('ecs.wait-stable')).run({ cluster: 'prod', service: 'api' }, ctx());
    expect(outcome).toMatchObject({ type: 'success', outputs: { running_count: 2, desired_count: 2, task_definition: TD42 } });
    expect(ecs.commandCalls(DescribeServicesCommand)).toHaveLength(2);
  });

  it('describe returns counts, rollout state and recent events; the JSON result is the text outputs select from', async () => {
    ecs.on(DescribeServicesCommand).resolves({ services: [{ ...stableOld, createdAt: new Date('2026-01-02T03:04:05Z') }] });
    const outcome = await (await load('ecs.describe')).run({ cluster: 'prod', service: 'api' }, ctx());
    expect(outcome).toMatchObject({ type: 'success', outputs: { status: 'ACTIVE', running_count: 2, desired_count: 2, rollout_state: 'COMPLETED', task_definition: TD41, events: ['(service api) has reached a steady state.'] } });
    const text = outcome.type === 'success' ? JSON.parse(outcome.text ?? '{}') : {};
    expect(text.createdAt).toBe('2026-01-02T03:04:05.000Z');
    expect(text.serviceName).toBe('api');
  });
});
