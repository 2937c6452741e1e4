import { DescribeDBInstancesCommand, type DBInstance, type RDSClient } from '@aws-sdk/client-rds';
import type { ActionContext, PlanContext } from '../../types';
import { formatDuration } from '../../../util/duration';
import { attempt, NotFoundError } from '../call';
import { durationMs, str, waitFlag, type Input } from '../input';
import { poll, type PollCheck, type PollResult } from '../poll';

export interface InstanceTarget {
  readonly instance: string;
  readonly wait: boolean;
  readonly intervalMs: number;
  readonly maxWaitMs: number;
}

export function instanceTarget(input: Input, key: string, defaults: { intervalMs: number; maxWaitMs: number }): InstanceTarget {
  return { instance: str(input, key), wait: waitFlag(input), intervalMs: durationMs(input, 'poll_interval', defaults.intervalMs), maxWaitMs: durationMs(input, 'max_wait', defaults.maxWaitMs) };
}

export const waitLine = (t: InstanceTarget, what: string) => (t.wait ? `then wait until ${what} (poll every ${formatDuration(t.intervalMs)}, at most ${formatDuration(t.maxWaitMs)})` : 'no wait (wait: false)');

/** Undefined when the instance does not exist. */
export async function findInstance(client: RDSClient, id: string, ctx: Pick<PlanContext, 'signal'>): Promise<DBInstance | undefined> {
  try {
    const out = await client.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }), { abortSignal: ctx.signal });
    return out.DBInstances?.[0];
  } catch (error) {
    if ((error as { name?: string }).name === 'DBInstanceNotFoundFault') return undefined;
    return attempt(`RDS DescribeDBInstances (\`${id}\`)`, () => Promise.reject(error));
  }
}

export async function describeInstance(client: RDSClient, id: string, ctx: Pick<PlanContext, 'signal'>): Promise<DBInstance> {
  const found = await findInstance(client, id, ctx);
  if (!found) throw new NotFoundError(`DB instance \`${id}\` not found. Check the identifier, e.g. with \`aws rds describe-db-instances\`.`);
  return found;
}

/** The states the AWS waiter treats as terminal failures, plus ones that never become available alone. */
const FAILED = new Set(['deleted', 'deleting', 'failed', 'incompatible-restore', 'incompatible-parameters', 'incompatible-network', 'inaccessible-encryption-credentials']);

/** Pure: is the instance available, on its way, or stuck for good? */
export function judgeInstance(db: DBInstance, extraDone: (db: DBInstance) => string | undefined = () => undefined): PollCheck<DBInstance> {
  const id = db.DBInstanceIdentifier ?? 'instance';
  const status = db.DBInstanceStatus ?? 'unknown';
  if (FAILED.has(status)) {
    return { state: 'failed', outcome: { type: 'failure', reason: 'aws-error', message: `DB instance \`${id}\` is ${status}; it will not become available without intervention. Check its events with \`aws rds describe-events --source-identifier ${id} --source-type db-instance\`.`, errorKind: `InstanceStatus:${status}` } };
  }
  const notYet = status === 'available' ? extraDone(db) : undefined;
  if (status === 'available' && !notYet) return { state: 'done', value: db };
  const pending = db.PendingModifiedValues && Object.values(db.PendingModifiedValues).some((v) => v !== undefined) ? ' (pending modifications)' : '';
  return { state: 'pending', progress: `instance ${id}: ${status}${notYet ? `, ${notYet}` : ''}${pending}` };
}

export async function waitAvailable(client: RDSClient, ctx: ActionContext, t: InstanceTarget, extraDone?: (db: DBInstance) => string | undefined): Promise<PollResult<DBInstance>> {
  return poll({
    ctx,
    what: `DB instance \`${t.instance}\` to become available`,
    intervalMs: t.intervalMs,
    maxWaitMs: t.maxWaitMs,
    check: async () => {
      const db = await findInstance(client, t.instance, ctx);
      if (!db) return { state: 'pending', progress: `instance ${t.instance}: not visible yet` };
      return judgeInstance(db, extraDone);
    },
  });
}

/** Outputs every instance action shares. */
export function instanceOutputs(db: DBInstance): Record<string, unknown> {
  return {
    instance: db.DBInstanceIdentifier,
    status: db.DBInstanceStatus,
    endpoint: db.Endpoint?.Address,
    port: db.Endpoint?.Port,
    class: db.DBInstanceClass,
    engine: db.Engine,
    engine_version: db.EngineVersion,
    multi_az: db.MultiAZ,
    arn: db.DBInstanceArn,
  };
}
