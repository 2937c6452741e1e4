import type { ActionContext, ActionImpl, PlanContext, PlanDescription } from '../../types';
import { guarded, planReadProblem } from '../call';
import { success } from '../outcome';
import { rdsClient } from './client';
import { instanceOutputs, instanceTarget, waitAvailable, waitLine } from './instance';
import { deferredPlan, hasUnknown, v } from '../unknown';

const DEFAULTS = { intervalMs: 15_000, maxWaitMs: 3_600_000 };

export const rdsWaitAvailableImpl: ActionImpl = {
  async plan(raw, ctx: PlanContext): Promise<PlanDescription> {
    if (hasUnknown(raw)) return deferredPlan(`RDS DescribeDBInstances: wait until ${v(raw.instance)} is available`, raw);
    try {
      const input = instanceTarget(raw, 'instance', DEFAULTS);
      return { summary: `RDS DescribeDBInstances: wait until ${input.instance} is available`, details: [waitLine({ ...input, wait: true }, 'it is available')] };
    } catch (error) {
      return { summary: 'RDS wait until available', details: [planReadProblem(error, ctx)] };
    }
  },
  run: (raw, ctx: ActionContext) =>
    guarded('rds.wait-available', ctx, async () => {
      const input = instanceTarget(raw, 'instance', DEFAULTS);
      const done = await waitAvailable(rdsClient(ctx), ctx, input);
      if (!done.ok) return done.outcome;
      return success(instanceOutputs(done.value), { result: done.value });
    }),
};
