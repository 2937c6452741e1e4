import { DescribeServicesCommand, DescribeTasksCommand, ListTasksCommand, type ECSClient, type Service } from '@aws-sdk/client-ecs';
import type { ActionContext, ActionOutcome, PlanContext } from '../../types';
import { attempt, NotFoundError } from '../call';
import { poll, type PollResult } from '../poll';
import { judgeStability } from './stability';

export async function describeService(client: ECSClient, cluster: string, service: string, ctx: Pick<PlanContext, 'signal'>): Promise<Service> {
  const doing = `ECS DescribeServices (cluster \`${cluster}\`, service \`${service}\`)`;
  const out = await attempt(doing, () => client.send(new DescribeServicesCommand({ cluster, services: [service] }), { abortSignal: ctx.signal }));
  const found = out.services?.[0];
  if (!found) {
    const why = out.failures?.[0]?.reason ?? 'MISSING';
    throw new NotFoundError(`service \`${service}\` not found in cluster \`${cluster}\` (${why}). Check the names, e.g. with \`aws ecs list-services --cluster ${cluster}\`.`);
  }
  return found;
}

export interface StableOptions {
  readonly cluster: string;
  readonly service: string;
  readonly deploymentId?: string;
  readonly intervalMs: number;
  readonly maxWaitMs: number;
}

/** Polls DescribeServices until stable; a failed rollout is explained with the tasks' stop reasons. */
export async function waitStable(client: ECSClient, ctx: ActionContext, o: StableOptions): Promise<PollResult<Service>> {
  const result = await poll({
    ctx,
    what: `ECS service \`${o.service}\` to become stable`,
    intervalMs: o.intervalMs,
    maxWaitMs: o.maxWaitMs,
    check: async () => judgeStability(await describeService(client, o.cluster, o.service, ctx), o.deploymentId),
  });
  if (result.ok || result.outcome.type !== 'failure' || result.outcome.errorKind !== 'DeploymentFailed') return result;
  const reasons = await stoppedTaskReasons(client, o.cluster, o.service, ctx).catch(() => []);
  if (!reasons.length) return result;
  const outcome: ActionOutcome = { ...result.outcome, message: `${result.outcome.message}\nStopped tasks:\n${reasons.map((r) => `  - ${r}`).join('\n')}` };
  return { ok: false, outcome };
}

/** "task 1a2b: Essential container in task exited (container api exit code 1: OutOfMemoryError)". */
export async function stoppedTaskReasons(client: ECSClient, cluster: string, service: string, ctx: Pick<PlanContext, 'signal'>): Promise<string[]> {
  const list = await client.send(new ListTasksCommand({ cluster, serviceName: service, desiredStatus: 'STOPPED', maxResults: 3 }), { abortSignal: ctx.signal });
  if (!list.taskArns?.length) return [];
  const tasks = await client.send(new DescribeTasksCommand({ cluster, tasks: list.taskArns }), { abortSignal: ctx.signal });
  return (tasks.tasks ?? []).map((task) => {
    const id = task.taskArn?.split('/').pop() ?? 'task';
    const containers = (task.containers ?? [])
      .filter((c) => c.exitCode !== undefined || c.reason)
      .map((c) => `container ${c.name} exit code ${c.exitCode ?? 'none'}${c.reason ? `: ${c.reason}` : ''}`);
    return `task ${id}: ${task.stoppedReason ?? 'stopped'}${containers.length ? ` (${containers.join('; ')})` : ''}`;
  });
}
