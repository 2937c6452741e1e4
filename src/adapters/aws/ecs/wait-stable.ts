import type { ActionContext, ActionImpl, PlanContext, PlanDescription } from '../../types';
import { formatDuration } from '../../../util/duration';
import { guarded, planReadProblem } from '../call';
import { success } from '../outcome';
import { ecsClient } from './client';
import { serviceTarget } from './input';
import { waitStable } from './service';
import { deferredPlan, hasUnknown, v } from '../unknown';

export const ecsWaitStableImpl: ActionImpl = {
  async plan(raw, ctx: PlanContext): Promise<PlanDescription> {
    if (hasUnknown(raw)) return deferredPlan(`ECS DescribeServices: wait until ${v(raw.cluster)}/${v(raw.service)} is stable`, raw);
    try {
      const input = serviceTarget(raw);
      return { summary: `ECS DescribeServices: wait until ${input.cluster}/${input.service} is stable`, details: [`poll every ${formatDuration(input.intervalMs)}, at most ${formatDuration(input.maxWaitMs)}`] };
    } catch (error) {
      return { summary: 'ECS wait until stable', details: [planReadProblem(error, ctx)] };
    }
  },
  run: (raw, ctx: ActionContext) =>
    guarded('ecs.wait-stable', ctx, async () => {
      const input = serviceTarget(raw);
      const stable = await waitStable(ecsClient(ctx), ctx, input);
      if (!stable.ok) return stable.outcome;
      const s = stable.value;
      return success({ running_count: s.runningCount, desired_count: s.desiredCount, task_definition: s.taskDefinition, service_arn: s.serviceArn }, { result: s });
    }),
};
