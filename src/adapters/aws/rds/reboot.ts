import { RebootDBInstanceCommand } from '@aws-sdk/client-rds';
import type { ActionContext, ActionImpl, PlanContext, PlanDescription } from '../../types';
import { attempt, guarded, json, planReadProblem } from '../call';
import { bool, type Input } from '../input';
import { success } from '../outcome';
import { rdsClient } from './client';
import { describeInstance, instanceOutputs, instanceTarget, waitAvailable, waitLine } from './instance';
import { deferredPlan, hasUnknown, v } from '../unknown';

const parse = (input: Input) => ({ ...instanceTarget(input, 'instance', { intervalMs: 15_000, maxWaitMs: 30 * 60_000 }), forceFailover: bool(input, 'force_failover', false) });

export const rdsRebootImpl: ActionImpl = {
  async plan(raw, ctx: PlanContext): Promise<PlanDescription> {
    if (hasUnknown(raw)) return deferredPlan(`RDS RebootDBInstance: ${v(raw.instance)}`, raw);
    try {
      const input = parse(raw);
      const details = [`RebootDBInstance ${json({ DBInstanceIdentifier: input.instance, ...(input.forceFailover ? { ForceFailover: true } : {}) })}`, waitLine(input, `instance ${input.instance} is available again`)];
      if (!ctx.noChecks) {
        try {
          const db = await describeInstance(rdsClient(ctx), input.instance, ctx);
          details.unshift(`now: ${db.DBInstanceStatus}${db.MultiAZ ? ', Multi-AZ' : ''}`);
          if (input.forceFailover && !db.MultiAZ) details.unshift('check failed: force_failover needs a Multi-AZ instance; the reboot would be refused');
        } catch (error) {
          details.unshift(planReadProblem(error, ctx));
        }
      }
      return { summary: `RDS RebootDBInstance: ${input.instance}${input.forceFailover ? ' with failover to the standby' : ''} (a short outage)`, details };
    } catch (error) {
      return { summary: 'RDS RebootDBInstance', details: [planReadProblem(error, ctx)] };
    }
  },
  run: (raw, ctx: ActionContext) =>
    guarded('rds.reboot', ctx, async () => {
      const input = parse(raw);
      const client = rdsClient(ctx);
      const out = await attempt(`RDS RebootDBInstance (\`${input.instance}\`)`, () =>
        client.send(new RebootDBInstanceCommand({ DBInstanceIdentifier: input.instance, ...(input.forceFailover ? { ForceFailover: true } : {}) }), { abortSignal: ctx.signal }),
      );
      const db = out.DBInstance ?? { DBInstanceIdentifier: input.instance };
      if (!input.wait) {
        ctx.progress(`instance ${input.instance}: ${db.DBInstanceStatus ?? 'rebooting'}`);
        return success(instanceOutputs(db), { result: db });
      }
      // The first poll reports the state; no progress line before it, so it is not said twice.
      const done = await waitAvailable(client, ctx, input);
      if (!done.ok) return done.outcome;
      return success(instanceOutputs(done.value), { result: done.value });
    }),
};
