import { UpdateServiceCommand } from '@aws-sdk/client-ecs';
import type { ActionContext, ActionImpl, PlanContext, PlanDescription } from '../../types';
import { formatDuration } from '../../../util/duration';
import { attempt, guarded, json, planReadProblem } from '../call';
import { success } from '../outcome';
import { ecsClient } from './client';
import { serviceTarget } from './input';
import { describeService, waitStable } from './service';
import { shortTd } from './stability';
import { deferredPlan, hasUnknown, v } from '../unknown';

export const ecsRestartImpl: ActionImpl = {
  async plan(raw, ctx: PlanContext): Promise<PlanDescription> {
    if (hasUnknown(raw)) return deferredPlan(`ECS UpdateService --force-new-deployment: ${v(raw.cluster)}/${v(raw.service)}`, raw);
    try {
      const input = serviceTarget(raw);
      const summary = `ECS UpdateService --force-new-deployment: replace every task of ${input.cluster}/${input.service}`;
      const details = [`UpdateService ${json({ cluster: input.cluster, service: input.service, forceNewDeployment: true })}`];
      if (input.wait) details.push(`then wait until the new tasks are running and the old ones gone (at most ${formatDuration(input.maxWaitMs)})`);
      if (ctx.noChecks) return { summary, details };
      try {
        const service = await describeService(ecsClient(ctx), input.cluster, input.service, ctx);
        return { summary, details: [`now: ${shortTd(service.taskDefinition)}, running ${service.runningCount}/${service.desiredCount}`, ...details] };
      } catch (error) {
        return { summary, details: [planReadProblem(error, ctx), ...details] };
      }
    } catch (error) {
      return { summary: 'ECS UpdateService --force-new-deployment', details: [planReadProblem(error, ctx)] };
    }
  },

  run: (raw, ctx: ActionContext) =>
    guarded('ecs.restart', ctx, async () => {
      const input = serviceTarget(raw);
      const client = ecsClient(ctx);
      const updated = await attempt(`ECS UpdateService --force-new-deployment (cluster \`${input.cluster}\`, service \`${input.service}\`)`, () =>
        client.send(new UpdateServiceCommand({ cluster: input.cluster, service: input.service, forceNewDeployment: true }), { abortSignal: ctx.signal }),
      );
      const deploymentId = updated.service?.deployments?.find((d) => d.status === 'PRIMARY')?.id;
      ctx.progress(`new deployment ${deploymentId ?? ''} started`);
      const outputs = { deployment_id: deploymentId, task_definition: updated.service?.taskDefinition, desired_count: updated.service?.desiredCount, running_count: updated.service?.runningCount, service_arn: updated.service?.serviceArn };
      if (!input.wait) return success(outputs, { result: updated.service });
      const stable = await waitStable(client, ctx, { ...input, ...(deploymentId ? { deploymentId } : {}) });
      if (!stable.ok) return stable.outcome;
      return success({ ...outputs, running_count: stable.value.runningCount }, { result: stable.value });
    }),
};
