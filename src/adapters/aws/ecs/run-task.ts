import { DescribeTaskDefinitionCommand, DescribeTasksCommand, RunTaskCommand, StopTaskCommand, type ECSClient, type RunTaskCommandInput, type Task } from '@aws-sdk/client-ecs';
import type { ActionContext, ActionImpl, ActionOutcome, PlanContext, PlanDescription } from '../../types';
import { formatDuration } from '../../../util/duration';
import { attempt, guarded, json, planReadProblem } from '../call';
import { bool, durationMs, InputError, optObject, optStr, optStrList, str, waitFlag, type Input } from '../input';
import { success } from '../outcome';
import { poll } from '../poll';
import { ecsClient } from './client';
import { deferredPlan, hasUnknown, v } from '../unknown';

const LAUNCH_TYPES = ['FARGATE', 'EC2', 'EXTERNAL', 'MANAGED_INSTANCES'] as const;
type LaunchType = (typeof LAUNCH_TYPES)[number];

interface RunTaskInput {
  readonly cluster: string;
  readonly taskDefinition: string;
  readonly command?: string[];
  readonly container?: string;
  readonly environment?: Record<string, string>;
  readonly launchType?: LaunchType;
  readonly network?: { subnets: string[]; securityGroups?: string[]; assignPublicIp: boolean };
  readonly startedBy: string;
  readonly wait: boolean;
  readonly intervalMs: number;
  readonly maxWaitMs: number;
}

function parse(input: Input): RunTaskInput {
  const rawCommand = input.command;
  // A string command runs through the image's shell; a list is passed as is.
  const command = typeof rawCommand === 'string' ? ['sh', '-c', rawCommand] : optStrList(input, 'command');
  const envInput = optObject(input, 'environment');
  const environment = envInput ? Object.fromEntries(Object.entries(envInput).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)])) : undefined;
  const launch = optStr(input, 'launch_type');
  if (launch && !(LAUNCH_TYPES as readonly string[]).includes(launch)) throw new InputError(`\`launch_type\` must be one of ${LAUNCH_TYPES.join(', ')}, got ${launch}`);
  const net = optObject(input, 'network');
  const subnets = net ? optStrList(net, 'subnets') : undefined;
  if (net && !subnets?.length) throw new InputError('`network.subnets` needs at least one subnet');
  const securityGroups = net ? optStrList(net, 'security_groups') : undefined;
  const container = optStr(input, 'container');
  return {
    cluster: str(input, 'cluster'),
    taskDefinition: str(input, 'task_definition'),
    ...(command ? { command } : {}),
    ...(container ? { container } : {}),
    ...(environment ? { environment } : {}),
    ...(launch ? { launchType: launch as LaunchType } : {}),
    ...(net && subnets ? { network: { subnets, ...(securityGroups ? { securityGroups } : {}), assignPublicIp: bool(net, 'assign_public_ip', false) } } : {}),
    startedBy: optStr(input, 'started_by') ?? 'opsctl',
    wait: waitFlag(input),
    intervalMs: durationMs(input, 'poll_interval', 6_000),
    maxWaitMs: durationMs(input, 'max_wait', 60 * 60_000),
  };
}

/** Pure: the RunTask request. `container` is resolved before (needed only for overrides). */
export function runTaskRequest(input: RunTaskInput, container: string | undefined): RunTaskCommandInput {
  const override = container && (input.command || input.environment)
    ? [{ name: container, ...(input.command ? { command: input.command } : {}), ...(input.environment ? { environment: Object.entries(input.environment).map(([name, value]) => ({ name, value })) } : {}) }]
    : undefined;
  return {
    cluster: input.cluster,
    taskDefinition: input.taskDefinition,
    count: 1,
    startedBy: input.startedBy,
    ...(input.launchType ? { launchType: input.launchType } : {}),
    ...(input.network
      ? { networkConfiguration: { awsvpcConfiguration: { subnets: input.network.subnets, ...(input.network.securityGroups ? { securityGroups: input.network.securityGroups } : {}), assignPublicIp: input.network.assignPublicIp ? 'ENABLED' : 'DISABLED' } } }
      : {}),
    ...(override ? { overrides: { containerOverrides: override } } : {}),
  };
}

async function overrideContainer(client: ECSClient, input: RunTaskInput, signal: AbortSignal): Promise<string | undefined> {
  if (input.container || (!input.command && !input.environment)) return input.container;
  const out = await attempt(`ECS DescribeTaskDefinition (\`${input.taskDefinition}\`)`, () => client.send(new DescribeTaskDefinitionCommand({ taskDefinition: input.taskDefinition }), { abortSignal: signal }));
  const defs = out.taskDefinition?.containerDefinitions ?? [];
  return (defs.find((c) => c.essential !== false) ?? defs[0])?.name;
}

/** Pure: the verdict on a stopped task — every container's exit code, or why it never ran. */
export function judgeStoppedTask(task: Task): ActionOutcome {
  const id = task.taskArn?.split('/').pop() ?? 'task';
  const containers = task.containers ?? [];
  const outputs = { task_arn: task.taskArn, last_status: task.lastStatus, stopped_reason: task.stoppedReason };
  const bad = containers.filter((c) => c.exitCode !== 0);
  if (containers.length && !bad.length) return success({ ...outputs, exit_code: 0 }, { result: task });
  const first = bad[0] ?? containers[0];
  const detail = `${task.stoppedReason ?? 'stopped'}${task.stopCode ? ` [${task.stopCode}]` : ''}${first ? `; container ${first.name}${first.reason ? `: ${first.reason}` : ''}` : ''}`;
  if (first?.exitCode !== undefined) {
    return { type: 'failure', reason: 'exit-non-zero', exitCode: first.exitCode, message: `ECS task ${id} exited with code ${first.exitCode}: ${detail}`, errorKind: 'TaskFailed', outputs: success({ ...outputs, exit_code: first.exitCode }).outputs };
  }
  return { type: 'failure', reason: 'aws-error', message: `ECS task ${id} stopped without an exit code: ${detail}`, errorKind: task.stopCode ?? 'TaskFailed', outputs: success(outputs).outputs };
}

export const ecsRunTaskImpl: ActionImpl = {
  async plan(raw, ctx: PlanContext): Promise<PlanDescription> {
    if (hasUnknown(raw)) return deferredPlan(`ECS RunTask: ${v(raw.task_definition)} on ${v(raw.cluster)}`, raw);
    try {
      const input = parse(raw);
      const request = runTaskRequest(input, input.container ?? (input.command || input.environment ? '<first essential container>' : undefined));
      const details = [`RunTask ${json(request)}`];
      if (input.wait) details.push(`then wait until the task stops (poll every ${formatDuration(input.intervalMs)}, at most ${formatDuration(input.maxWaitMs)}); a non-zero exit code fails the step`);
      return { summary: `ECS RunTask: ${input.taskDefinition} on ${input.cluster}${input.command ? ` — ${input.command.join(' ')}` : ''}`, details };
    } catch (error) {
      return { summary: 'ECS RunTask', details: [planReadProblem(error, ctx)] };
    }
  },

  run: (raw, ctx: ActionContext) =>
    guarded('ecs.run-task', ctx, async () => {
      const input = parse(raw);
      const client = ecsClient(ctx);
      const container = await overrideContainer(client, input, ctx.signal);
      const started = await attempt(`ECS RunTask (cluster \`${input.cluster}\`, task definition \`${input.taskDefinition}\`)`, () =>
        client.send(new RunTaskCommand(runTaskRequest(input, container)), { abortSignal: ctx.signal }),
      );
      const failure = started.failures?.[0];
      const task = started.tasks?.[0];
      if (!task?.taskArn) {
        const why = failure ? `${failure.reason ?? 'failed'}${failure.detail ? `: ${failure.detail}` : ''}` : 'no task was started';
        return { type: 'failure', reason: 'aws-error', message: `ECS RunTask on \`${input.cluster}\` started nothing: ${why}`, errorKind: failure?.reason ?? 'RunTaskFailed' };
      }
      const taskArn = task.taskArn;
      const id = taskArn.split('/').pop();
      ctx.progress(`task ${id} started (${task.lastStatus ?? 'PROVISIONING'})`);
      if (!input.wait) return success({ task_arn: taskArn, last_status: task.lastStatus }, { result: task });
      const stopped = await poll<Task>({
        ctx,
        what: `ECS task ${id} to stop`,
        intervalMs: input.intervalMs,
        maxWaitMs: input.maxWaitMs,
        check: async () => {
          const out = await attempt(`ECS DescribeTasks (\`${id}\`)`, () => client.send(new DescribeTasksCommand({ cluster: input.cluster, tasks: [taskArn] }), { abortSignal: ctx.signal }));
          const seen = out.tasks?.[0];
          if (!seen) return { state: 'pending', progress: `task ${id}: not visible yet` };
          if (seen.lastStatus === 'STOPPED') return { state: 'done', value: seen };
          return { state: 'pending', progress: `task ${id}: ${seen.lastStatus ?? 'unknown'}` };
        },
      });
      if (!stopped.ok) {
        // The step is over (timed out or cancelled): do not leave the one-off task running.
        await client.send(new StopTaskCommand({ cluster: input.cluster, task: taskArn, reason: 'opsctl step ended before the task finished' }), { abortSignal: AbortSignal.timeout(10_000) }).catch(() => undefined);
        return stopped.outcome.type === 'failure' ? { ...stopped.outcome, message: `${stopped.outcome.message} (task ${id} was asked to stop)`, outputs: { task_arn: taskArn } } : stopped.outcome;
      }
      return judgeStoppedTask(stopped.value);
    }),
};
