import type { ActionContext, ActionImpl, PlanContext, PlanDescription } from '../../types';
import { guarded } from '../call';
import { str } from '../input';
import { success } from '../outcome';
import { rdsClient } from './client';
import { describeInstance, instanceOutputs } from './instance';
import { deferredPlan, hasUnknown, v } from '../unknown';

export const rdsDescribeImpl: ActionImpl = {
  async plan(raw, _ctx: PlanContext): Promise<PlanDescription> {
    if (hasUnknown(raw)) return deferredPlan(`RDS DescribeDBInstances: read ${v(raw.instance)}`, raw);
    return { summary: `RDS DescribeDBInstances: read ${String(raw.instance)}` };
  },
  run: (raw, ctx: ActionContext) =>
    guarded('rds.describe', ctx, async () => {
      const db = await describeInstance(rdsClient(ctx), str(raw, 'instance'), ctx);
      ctx.progress(`instance ${db.DBInstanceIdentifier}: ${db.DBInstanceStatus}, ${db.DBInstanceClass}, ${db.Engine} ${db.EngineVersion ?? ''}`.trim());
      return success({ ...instanceOutputs(db), replica_source: db.ReadReplicaSourceDBInstanceIdentifier, allocated_storage: db.AllocatedStorage }, { result: db });
    }),
};
