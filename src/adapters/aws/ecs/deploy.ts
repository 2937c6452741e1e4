import { DescribeTaskDefinitionCommand, RegisterTaskDefinitionCommand, UpdateServiceCommand, type ECSClient, type TaskDefinition } from '@aws-sdk/client-ecs';
import type { ActionContext, ActionImpl, PlanContext, PlanDescription, UndoAction } from '../../types';
import { formatDuration } from '../../../util/duration';
import { attempt, guarded, json, planReadProblem } from '../call';
import { InputError, optStr, type Input } from '../input';
import { success } from '../outcome';
import { ecsClient } from './client';
import { serviceTarget, waitSettings, type ServiceTarget } from './input';
import { describeService, waitStable } from './service';
import { describeProgress, shortTd } from './stability';
import { diffTaskDefinitions, nextRevision, pickContainer } from './task-definition';
import { deferredPlan, hasUnknown, v } from '../unknown';

interface DeployInput extends ServiceTarget {
  readonly image?: string;
  readonly taskDefinition?: string;
  readonly container?: string;
}

function parse(input: Input): DeployInput {
  const target = serviceTarget(input);
  const image = optStr(input, 'image');
  const taskDefinition = optStr(input, 'task_definition');
  if (!image && !taskDefinition) throw new InputError('give `image` (a new revision is registered) or `task_definition` (deployed as is)');
  if (image && taskDefinition) throw new InputError('give either `image` or `task_definition`, not both');
  const container = optStr(input, 'container');
  return { ...target, ...(image ? { image } : {}), ...(taskDefinition ? { taskDefinition } : {}), ...(container ? { container } : {}) };
}

async function readTaskDefinition(client: ECSClient, ref: string, signal: AbortSignal) {
  const out = await attempt(`ECS DescribeTaskDefinition (\`${ref}\`)`, () =>
    client.send(new DescribeTaskDefinitionCommand({ taskDefinition: ref, include: ['TAGS'] }), { abortSignal: signal }),
  );
  if (!out.taskDefinition) throw new InputError(`task definition \`${ref}\` not found`);
  return { td: out.taskDefinition, tags: out.tags };
}

const sameImage = (td: TaskDefinition, container: string, image: string) => td.containerDefinitions?.find((c) => c.name === container)?.image === image;

export const ecsDeployImpl: ActionImpl = {
  async plan(raw, ctx: PlanContext): Promise<PlanDescription> {
    if (hasUnknown(raw)) return deferredPlan(`ECS RegisterTaskDefinition + UpdateService: deploy to service ${v(raw.cluster)}/${v(raw.service)}`, raw);
    let input: DeployInput;
    try {
      input = parse(raw);
    } catch (error) {
      return { summary: `ECS deploy to service \`${String(raw.service)}\``, details: [planReadProblem(error, ctx)] };
    }
    const what = input.image ? `image ${input.image}${input.container ? ` (container ${input.container})` : ''}` : `task definition ${input.taskDefinition}`;
    const summary = `ECS RegisterTaskDefinition + UpdateService: deploy ${what} to service ${input.cluster}/${input.service}`;
    const waitLine = input.wait ? `then wait until the rollout is complete and running = desired (poll every ${formatDuration(input.intervalMs)}, at most ${formatDuration(input.maxWaitMs)})` : 'no wait (wait: false)';
    if (ctx.noChecks) {
      const register = input.image ? [`register a new revision of the service's current task definition with ${what} (current definition not read: --no-checks)`] : [];
      return { summary, details: [...register, `UpdateService ${json({ cluster: input.cluster, service: input.service, taskDefinition: input.taskDefinition ?? '<new revision>' })}`, waitLine] };
    }
    try {
      const client = ecsClient(ctx);
      const service = await describeService(client, input.cluster, input.service, ctx);
      const current = await readTaskDefinition(client, service.taskDefinition ?? '', ctx.signal);
      const primary = service.deployments?.find((d) => d.status === 'PRIMARY');
      const now = `now: ${shortTd(service.taskDefinition)}${primary ? `, ${describeProgress(primary, service.deployments ?? [])}` : ''}`;
      if (input.image) {
        const container = pickContainer(current.td, input.container);
        if (sameImage(current.td, container, input.image)) return { summary, details: [now, `no change: container ${container} already runs ${input.image}; UpdateService keeps ${shortTd(service.taskDefinition)}`, waitLine] };
        const next = nextRevision(current.td, current.tags, input.image, container);
        return {
          summary,
          details: [now, `register ${current.td.family}:${(current.td.revision ?? 0) + 1} (next revision; the exact number is given by AWS)`, ...diffTaskDefinitions(current.td, next).map((l) => `  ${l}`), `UpdateService ${json({ cluster: input.cluster, service: input.service, taskDefinition: `${current.td.family}:<new revision>` })}`, waitLine],
        };
      }
      const target = await readTaskDefinition(client, input.taskDefinition ?? '', ctx.signal);
      const diff = diffTaskDefinitions(current.td, target.td);
      return {
        summary,
        details: [now, `${shortTd(service.taskDefinition)} → ${shortTd(target.td.taskDefinitionArn)}`, ...(diff.length ? diff.map((l) => `  ${l}`) : ['  (no differences in images, sizes, roles or environment)']), `UpdateService ${json({ cluster: input.cluster, service: input.service, taskDefinition: input.taskDefinition })}`, waitLine],
      };
    } catch (error) {
      return { summary, details: [planReadProblem(error, ctx), waitLine] };
    }
  },

  run: (raw, ctx: ActionContext) =>
    guarded('ecs.deploy', ctx, async () => {
      const input = parse(raw);
      const client = ecsClient(ctx);
      const before = await describeService(client, input.cluster, input.service, ctx);
      // A retry after UpdateService finds its own revision live: the one being replaced is the older
      // deployment still draining, and that is what undo must go back to.
      const draining = before.deployments?.find((d) => d.status === 'ACTIVE' && d.taskDefinition !== before.taskDefinition)?.taskDefinition;
      const current = before.taskDefinition ?? '';
      let target = input.taskDefinition ?? current;
      if (input.image) {
        const live = await readTaskDefinition(client, current, ctx.signal);
        const container = pickContainer(live.td, input.container);
        if (!sameImage(live.td, container, input.image)) {
          const registered = await attempt(`ECS RegisterTaskDefinition (family \`${live.td.family}\`)`, () =>
            client.send(new RegisterTaskDefinitionCommand(nextRevision(live.td, live.tags, input.image ?? '', container)), { abortSignal: ctx.signal }),
          );
          target = registered.taskDefinition?.taskDefinitionArn ?? target;
          ctx.progress(`registered ${shortTd(target)} (container ${container}: ${input.image})`);
        } else {
          ctx.progress(`container ${container} already runs ${input.image}; keeping ${shortTd(current)}`);
        }
      }
      const updated = await attempt(`ECS UpdateService (cluster \`${input.cluster}\`, service \`${input.service}\`)`, () =>
        client.send(new UpdateServiceCommand({ cluster: input.cluster, service: input.service, taskDefinition: target }), { abortSignal: ctx.signal }),
      );
      const deployed = updated.service?.taskDefinition ?? target;
      const deploymentId = updated.service?.deployments?.find((d) => d.status === 'PRIMARY')?.id;
      ctx.progress(`service ${input.service} updated to ${shortTd(deployed)}${deploymentId ? ` (deployment ${deploymentId})` : ''}`);
      const previous = deployed === current && draining ? draining : current;
      const undoFacts = { cluster: input.cluster, service: input.service, previous_task_definition: previous };
      const outputs = {
        task_definition: deployed,
        previous_task_definition: previous,
        deployment_id: deploymentId,
        service_arn: updated.service?.serviceArn,
        image: input.image,
        desired_count: updated.service?.desiredCount,
        running_count: updated.service?.runningCount,
      };
      if (!input.wait) return success(outputs, { result: updated.service, undoFacts });
      const waited = await guarded('ecs.deploy', ctx, async () => {
        const stable = await waitStable(client, ctx, { ...input, ...(deploymentId ? { deploymentId } : {}) });
        if (!stable.ok) return stable.outcome;
        return success({ ...outputs, running_count: stable.value.runningCount, desired_count: stable.value.desiredCount }, { result: stable.value, undoFacts });
      });
      // The service was changed before the wait failed (timed out, rolled back by the circuit
      // breaker, a call aborted): the failure carries the undo facts, so `on_failure: rollback`
      // puts the previous revision back.
      const changed = success(outputs, { undoFacts });
      if (waited.type !== 'failure' || changed.type !== 'success') return waited;
      return { ...waited, outputs: changed.outputs, ...(changed.undoFacts ? { undoFacts: changed.undoFacts } : {}) };
    }),

  undo(raw, facts): UndoAction | undefined {
    const previous = facts.previous_task_definition;
    if (typeof previous !== 'string' || !previous) return undefined;
    return {
      kind: 'ecs.deploy',
      input: { cluster: facts.cluster ?? raw.cluster, service: facts.service ?? raw.service, task_definition: previous, ...waitSettings(raw) },
    };
  },
};
