import { DescribeDBSnapshotsCommand, RestoreDBInstanceFromDBSnapshotCommand, type RestoreDBInstanceFromDBSnapshotCommandInput } from '@aws-sdk/client-rds';
import type { ActionContext, ActionImpl, PlanContext, PlanDescription } from '../../types';
import { attempt, guarded, json, planReadProblem } from '../call';
import { bool, optStr, optStrList, str, type Input } from '../input';
import { success } from '../outcome';
import { rdsClient } from './client';
import { findInstance, instanceOutputs, instanceTarget, waitAvailable, waitLine } from './instance';
import { deferredPlan, hasUnknown, v } from '../unknown';

function parse(input: Input) {
  const target = instanceTarget(input, 'instance', { intervalMs: 30_000, maxWaitMs: 2 * 3_600_000 });
  const request: RestoreDBInstanceFromDBSnapshotCommandInput = { DBInstanceIdentifier: target.instance, DBSnapshotIdentifier: str(input, 'snapshot') };
  const cls = optStr(input, 'class');
  if (cls) request.DBInstanceClass = cls;
  const subnetGroup = optStr(input, 'subnet_group');
  if (subnetGroup) request.DBSubnetGroupName = subnetGroup;
  const groups = optStrList(input, 'security_groups');
  if (groups) request.VpcSecurityGroupIds = groups;
  if (input.multi_az !== undefined) request.MultiAZ = bool(input, 'multi_az', false);
  if (input.publicly_accessible !== undefined) request.PubliclyAccessible = bool(input, 'publicly_accessible', false);
  return { ...target, request };
}

export const rdsRestoreImpl: ActionImpl = {
  async plan(raw, ctx: PlanContext): Promise<PlanDescription> {
    if (hasUnknown(raw)) return deferredPlan(`RDS RestoreDBInstanceFromDBSnapshot: ${v(raw.snapshot)} → new instance ${v(raw.instance)}`, raw);
    try {
      const input = parse(raw);
      const details = [`RestoreDBInstanceFromDBSnapshot ${json(input.request)}`, waitLine(input, `instance ${input.instance} is available`)];
      if (!ctx.noChecks) {
        try {
          const client = rdsClient(ctx);
          const snaps = await attempt(`RDS DescribeDBSnapshots (\`${input.request.DBSnapshotIdentifier}\`)`, () => client.send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: input.request.DBSnapshotIdentifier }), { abortSignal: ctx.signal })).catch(() => undefined);
          const snap = snaps?.DBSnapshots?.[0];
          details.unshift(snap ? `now: snapshot ${snap.DBSnapshotIdentifier} is ${snap.Status} (${snap.Engine ?? 'engine ?'}, taken ${snap.SnapshotCreateTime?.toISOString() ?? 'at an unknown time'})` : `check failed: snapshot \`${input.request.DBSnapshotIdentifier}\` not found`);
          const existing = await findInstance(client, input.instance, ctx);
          if (existing) details.unshift(`check failed: DB instance \`${input.instance}\` already exists (${existing.DBInstanceStatus}); the restore would fail — pick a new identifier`);
        } catch (error) {
          details.unshift(planReadProblem(error, ctx));
        }
      }
      return { summary: `RDS RestoreDBInstanceFromDBSnapshot: ${input.request.DBSnapshotIdentifier} → new instance ${input.instance}`, details };
    } catch (error) {
      return { summary: 'RDS RestoreDBInstanceFromDBSnapshot', details: [planReadProblem(error, ctx)] };
    }
  },

  run: (raw, ctx: ActionContext) =>
    guarded('rds.restore', ctx, async () => {
      const input = parse(raw);
      const client = rdsClient(ctx);
      const out = await attempt(`RDS RestoreDBInstanceFromDBSnapshot (snapshot \`${input.request.DBSnapshotIdentifier}\`, instance \`${input.instance}\`)`, () =>
        client.send(new RestoreDBInstanceFromDBSnapshotCommand(input.request), { abortSignal: ctx.signal }),
      );
      const db = out.DBInstance ?? { DBInstanceIdentifier: input.instance };
      if (!input.wait) {
        ctx.progress(`instance ${input.instance}: ${db.DBInstanceStatus ?? 'creating'}`);
        return success(instanceOutputs(db), { result: db });
      }
      // The first poll reports the state; no progress line before it, so it is not said twice.
      const done = await waitAvailable(client, ctx, input);
      if (!done.ok) return done.outcome;
      return success(instanceOutputs(done.value), { result: done.value });
    }),
};
