import type { ActionContext, ActionImpl, PlanContext, PlanDescription } from '../../types';
import { guarded } from '../call';
import { str } from '../input';
import { success } from '../outcome';
import { ecsClient } from './client';
import { describeService } from './service';
import { recentEvents } from './stability';
import { deferredPlan, hasUnknown, v } from '../unknown';

export const ecsDescribeImpl: ActionImpl = {
  async plan(raw, _ctx: PlanContext): Promise<PlanDescription> {
    if (hasUnknown(raw)) return deferredPlan(`ECS DescribeServices: read ${v(raw.cluster)}/${v(raw.service)}`, raw);
    return { summary: `ECS DescribeServices: read ${String(raw.cluster)}/${String(raw.service)}` };
  },
  run: (raw, ctx: ActionContext) =>
    guarded('ecs.describe', ctx, async () => {
      const service = await describeService(ecsClient(ctx), str(raw, 'cluster'), str(raw, 'service'), ctx);
      const primary = service.deployments?.find((d) => d.status === 'PRIMARY');
      ctx.progress(`${service.serviceName}: ${service.status}, running ${service.runningCount}/${service.desiredCount}, ${service.deployments?.length ?? 0} deployment(s)`);
      return success(
        {
          status: service.status,
          running_count: service.runningCount,
          desired_count: service.desiredCount,
          pending_count: service.pendingCount,
          task_definition: service.taskDefinition,
          rollout_state: primary?.rolloutState,
          service_arn: service.serviceArn,
          events: recentEvents(service, 5),
        },
        { result: service },
      );
    }),
};
