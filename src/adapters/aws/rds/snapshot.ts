import { CreateDBSnapshotCommand, DescribeDBSnapshotsCommand, type DBSnapshot, type RDSClient } from '@aws-sdk/client-rds';
import type { ActionContext, ActionImpl, PlanContext, PlanDescription } from '../../types';
import { attempt, AwsCallError, guarded, json, planReadProblem } from '../call';
import { InputError, optObject, str, type Input } from '../input';
import { success } from '../outcome';
import { poll, type PollCheck, type PollResult } from '../poll';
import { rdsClient } from './client';
import { findInstance, instanceTarget, waitLine } from './instance';
import { deferredPlan, hasUnknown, v } from '../unknown';

/** Pure: RDS's rules for a snapshot identifier, checked before calling AWS (values come from expressions). */
export function snapshotIdProblem(id: string): string | undefined {
  if (!/^[A-Za-z]/.test(id)) return 'must start with a letter';
  if (/[^A-Za-z0-9-]/.test(id)) return 'may hold only letters, digits and hyphens';
  if (/--/.test(id) || id.endsWith('-')) return 'may not hold two hyphens in a row or end with one';
  if (id.length > 255) return 'may be at most 255 characters';
  return undefined;
}

function parse(input: Input) {
  const target = instanceTarget(input, 'instance', { intervalMs: 15_000, maxWaitMs: 2 * 3_600_000 });
  const snapshot = str(input, 'snapshot');
  const problem = snapshotIdProblem(snapshot);
  if (problem) throw new InputError(`snapshot identifier \`${snapshot}\` ${problem}`);
  const tags = Object.entries(optObject(input, 'tags') ?? {}).map(([Key, Value]) => ({ Key, Value: String(Value) }));
  return { ...target, snapshot, tags };
}

const FAILED = new Set(['failed', 'error', 'deleted', 'deleting', 'incompatible-restore']);

/** Pure: snapshot status and percent as a poll verdict. */
export function judgeSnapshot(snap: DBSnapshot): PollCheck<DBSnapshot> {
  const id = snap.DBSnapshotIdentifier ?? 'snapshot';
  const status = snap.Status ?? 'unknown';
  if (status === 'available') return { state: 'done', value: snap };
  if (FAILED.has(status)) {
    return { state: 'failed', outcome: { type: 'failure', reason: 'aws-error', message: `DB snapshot \`${id}\` of \`${snap.DBInstanceIdentifier ?? '?'}\` ${status === 'failed' ? 'failed' : `is ${status}`} at ${snap.PercentProgress ?? 0}%. Check \`aws rds describe-events --source-identifier ${id} --source-type db-snapshot\`.`, errorKind: 'SnapshotFailed' } };
  }
  return { state: 'pending', progress: `snapshot ${id}: ${status}, ${snap.PercentProgress ?? 0}%` };
}

async function readSnapshot(client: RDSClient, id: string, signal: AbortSignal): Promise<DBSnapshot | undefined> {
  const out = await attempt(`RDS DescribeDBSnapshots (\`${id}\`)`, () => client.send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: id }), { abortSignal: signal }));
  return out.DBSnapshots?.[0];
}

export function waitSnapshotAvailable(client: RDSClient, ctx: ActionContext, id: string, w: { intervalMs: number; maxWaitMs: number }): Promise<PollResult<DBSnapshot>> {
  return poll({
    ctx,
    what: `DB snapshot \`${id}\` to become available`,
    intervalMs: w.intervalMs,
    maxWaitMs: w.maxWaitMs,
    check: async () => {
      const seen = await readSnapshot(client, id, ctx.signal);
      return seen ? judgeSnapshot(seen) : { state: 'pending', progress: `snapshot ${id}: not visible yet` };
    },
  });
}

/**
 * CreateDBSnapshot; when a snapshot of the same instance already exists under that name (a retry
 * or a resumed run created it), wait for that one instead of failing.
 */
async function createOrAdopt(client: RDSClient, input: ReturnType<typeof parse>, ctx: ActionContext): Promise<DBSnapshot> {
  const doing = `RDS CreateDBSnapshot (instance \`${input.instance}\`, snapshot \`${input.snapshot}\`)`;
  try {
    const created = await client.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: input.instance, DBSnapshotIdentifier: input.snapshot, ...(input.tags.length ? { Tags: input.tags } : {}) }), { abortSignal: ctx.signal });
    return created.DBSnapshot ?? {};
  } catch (error) {
    if ((error as { name?: string }).name !== 'DBSnapshotAlreadyExistsFault') throw new AwsCallError(doing, error);
    const existing = await readSnapshot(client, input.snapshot, ctx.signal);
    if (existing?.DBInstanceIdentifier !== input.instance) throw new AwsCallError(doing, error);
    ctx.progress(`snapshot ${input.snapshot} of ${input.instance} already exists (an earlier attempt made it); using it`);
    return existing;
  }
}

export const rdsSnapshotImpl: ActionImpl = {
  async plan(raw, ctx: PlanContext): Promise<PlanDescription> {
    if (hasUnknown(raw)) return deferredPlan(`RDS CreateDBSnapshot: ${v(raw.instance)} → ${v(raw.snapshot)}`, raw);
    try {
      const input = parse(raw);
      const request = { DBInstanceIdentifier: input.instance, DBSnapshotIdentifier: input.snapshot, ...(input.tags.length ? { Tags: input.tags } : {}) };
      const details = [`CreateDBSnapshot ${json(request)}`, waitLine(input, 'the snapshot is available')];
      if (!ctx.noChecks) {
        try {
          const db = await findInstance(rdsClient(ctx), input.instance, ctx);
          details.unshift(db ? `now: instance ${input.instance} is ${db.DBInstanceStatus}` : `check failed: DB instance \`${input.instance}\` not found; the snapshot would fail`);
        } catch (error) {
          details.unshift(planReadProblem(error, ctx));
        }
      }
      return { summary: `RDS CreateDBSnapshot: ${input.instance} → ${input.snapshot}`, details };
    } catch (error) {
      return { summary: 'RDS CreateDBSnapshot', details: [planReadProblem(error, ctx)] };
    }
  },

  run: (raw, ctx: ActionContext) =>
    guarded('rds.snapshot', ctx, async () => {
      const input = parse(raw);
      const client = rdsClient(ctx);
      const snap = await createOrAdopt(client, input, ctx);
      const outputs = (s: DBSnapshot) => ({ snapshot: s.DBSnapshotIdentifier ?? input.snapshot, snapshot_arn: s.DBSnapshotArn, status: s.Status, instance: input.instance, percent_progress: s.PercentProgress });
      ctx.progress(`snapshot ${input.snapshot}: ${snap.Status ?? 'creating'}`);
      if (!input.wait) return success(outputs(snap), { result: snap });
      const done = await waitSnapshotAvailable(client, ctx, input.snapshot, input);
      if (!done.ok) return done.outcome;
      return success(outputs(done.value), { result: done.value });
    }),
};
