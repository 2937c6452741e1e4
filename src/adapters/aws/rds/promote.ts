import { PromoteReadReplicaCommand } from '@aws-sdk/client-rds';
import type { ActionContext, ActionImpl, PlanContext, PlanDescription } from '../../types';
import { attempt, guarded, json, planReadProblem } from '../call';
import { optInt, type Input } from '../input';
import { success } from '../outcome';
import { rdsClient } from './client';
import { describeInstance, instanceOutputs, instanceTarget, waitAvailable, waitLine } from './instance';
import { deferredPlan, hasUnknown, v } from '../unknown';

function parse(input: Input) {
  const target = instanceTarget(input, 'instance', { intervalMs: 15_000, maxWaitMs: 3_600_000 });
  const retention = optInt(input, 'backup_retention', { min: 0, max: 35 });
  return { ...target, request: { DBInstanceIdentifier: target.instance, ...(retention !== undefined ? { BackupRetentionPeriod: retention } : {}) } };
}

export const rdsPromoteImpl: ActionImpl = {
  async plan(raw, ctx: PlanContext): Promise<PlanDescription> {
    if (hasUnknown(raw)) return deferredPlan(`RDS PromoteReadReplica: ${v(raw.instance)} becomes a standalone instance (irreversible)`, raw);
    try {
      const input = parse(raw);
      const details = [`PromoteReadReplica ${json(input.request)}`, waitLine(input, `instance ${input.instance} is a standalone, available instance`)];
      if (!ctx.noChecks) {
        try {
          const db = await describeInstance(rdsClient(ctx), input.instance, ctx);
          const source = db.ReadReplicaSourceDBInstanceIdentifier;
          details.unshift(source ? `now: ${input.instance} replicates from ${source} (${db.DBInstanceStatus}); replication stops for good` : `check failed: ${input.instance} is not a read replica; the promotion would be refused`);
        } catch (error) {
          details.unshift(planReadProblem(error, ctx));
        }
      }
      return { summary: `RDS PromoteReadReplica: ${input.instance} becomes a standalone instance (irreversible)`, details };
    } catch (error) {
      return { summary: 'RDS PromoteReadReplica', details: [planReadProblem(error, ctx)] };
    }
  },
  run: (raw, ctx: ActionContext) =>
    guarded('rds.promote-replica', ctx, async () => {
      const input = parse(raw);
      const client = rdsClient(ctx);
      const out = await attempt(`RDS PromoteReadReplica (\`${input.instance}\`)`, () => client.send(new PromoteReadReplicaCommand(input.request), { abortSignal: ctx.signal }));
      const db = out.DBInstance ?? { DBInstanceIdentifier: input.instance };
      if (!input.wait) {
        ctx.progress(`instance ${input.instance}: ${db.DBInstanceStatus ?? 'modifying'}`);
        return success(instanceOutputs(db), { result: db });
      }
      // The first poll reports the state; no progress line before it, so it is not said twice.
      // Available is not enough: the replica link must be gone too.
      const done = await waitAvailable(client, ctx, input, (d) => (d.ReadReplicaSourceDBInstanceIdentifier ? `still replicating from ${d.ReadReplicaSourceDBInstanceIdentifier}` : undefined));
      if (!done.ok) return done.outcome;
      return success(instanceOutputs(done.value), { result: done.value });
    }),
};
