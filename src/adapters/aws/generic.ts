import type { ActionContext, ActionImpl, ActionOutcome, PlanContext, PlanDescription } from '../types';
import { formatDuration } from '../../util/duration';
import { attempt, guarded, json, planReadProblem } from './call';
import { durationMs, InputError, optObject, str, waitFlag, type Input } from './input';
import { plain, success } from './outcome';
import { AWS_SERVICES, isReadOperation, operationName, type AwsService } from './generic-operation';
import { poll, type PollResult } from './poll';
import { deferredPlan, hasUnknown, v } from './unknown';

interface Sendable {
  send(command: unknown, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
}
type CommandClass = new (input: unknown) => unknown;

interface Parsed {
  readonly service: AwsService;
  readonly operation: string;
  readonly input: Record<string, unknown>;
  readonly wait: boolean;
  readonly intervalMs: number;
  readonly maxWaitMs: number;
}

function parse(raw: Input): Parsed {
  const service = str(raw, 'service').toLowerCase().replace(/[-_ ]/g, '');
  if (!(AWS_SERVICES as readonly string[]).includes(service)) throw new InputError(`\`service\` must be one of ${AWS_SERVICES.join(', ')}, got ${service}`);
  return {
    service: service as AwsService,
    operation: operationName(str(raw, 'operation')),
    input: { ...(optObject(raw, 'input') ?? {}) },
    wait: waitFlag(raw),
    intervalMs: durationMs(raw, 'poll_interval', 10_000),
    maxWaitMs: durationMs(raw, 'max_wait', 30 * 60_000),
  };
}

/** Which operations the `aws` action knows how to wait for, and on what. */
export function waiterFor(service: AwsService, operation: string): string | undefined {
  switch (service) {
    case 'ecs':
      return ['UpdateService', 'CreateService'].includes(operation) ? 'the service is stable' : undefined;
    case 'rds':
      if (['CreateDBSnapshot', 'CopyDBSnapshot'].includes(operation)) return 'the snapshot is available';
      if (operation === 'DeleteDBInstance') return 'the instance is gone';
      return ['CreateDBInstance', 'CreateDBInstanceReadReplica', 'ModifyDBInstance', 'RebootDBInstance', 'PromoteReadReplica', 'RestoreDBInstanceFromDBSnapshot', 'RestoreDBInstanceToPointInTime', 'StartDBInstance'].includes(operation)
        ? 'the instance is available'
        : undefined;
    case 'route53':
      return operation === 'ChangeResourceRecordSets' ? 'the change is INSYNC' : undefined;
    default:
      return undefined;
  }
}

/** The service's SDK module, and its client made on demand (plans need only the command names). */
async function loadService(service: AwsService, ctx: PlanContext): Promise<{ client: () => Sendable; commands: Record<string, unknown> }> {
  switch (service) {
    case 'ecs': {
      const [sdk, { ecsClient }] = await Promise.all([import('@aws-sdk/client-ecs'), import('./ecs/client')]);
      return { client: () => ecsClient(ctx) as unknown as Sendable, commands: sdk };
    }
    case 'rds': {
      const [sdk, { rdsClient }] = await Promise.all([import('@aws-sdk/client-rds'), import('./rds/client')]);
      return { client: () => rdsClient(ctx) as unknown as Sendable, commands: sdk };
    }
    case 'route53': {
      const [sdk, { route53Client }] = await Promise.all([import('@aws-sdk/client-route-53'), import('./route53/client')]);
      return { client: () => route53Client(ctx) as unknown as Sendable, commands: sdk };
    }
  }
}

/** The SDK's command for the operation, matched without regard to case (`modify-db-instance` → ModifyDBInstance). */
function resolveCommand(commands: Record<string, unknown>, p: Parsed): { operation: string; Command: CommandClass } {
  const names = Object.keys(commands).filter((k) => k.endsWith('Command') && k !== 'Command' && typeof commands[k] === 'function').map((k) => k.slice(0, -'Command'.length));
  const wanted = p.operation.toLowerCase();
  const exact = names.find((n) => n.toLowerCase() === wanted);
  if (exact) return { operation: exact, Command: commands[`${exact}Command`] as CommandClass };
  const near = names
    .map((n) => ({ n, d: editDistance(n.toLowerCase(), wanted) }))
    .filter(({ d }) => d <= Math.max(3, Math.floor(wanted.length / 3)))
    .sort((a, b) => a.d - b.d || a.n.localeCompare(b.n))
    .slice(0, 3)
    .map(({ n }) => n);
  throw new InputError(`${p.service} has no operation \`${p.operation}\`${near.length ? `; did you mean ${near.join(', ')}?` : ''}`);
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length] ?? 0;
}

async function waitAfter(p: Parsed, client: Sendable, response: Record<string, unknown>, ctx: ActionContext): Promise<PollResult<unknown>> {
  const w = { intervalMs: p.intervalMs, maxWaitMs: p.maxWaitMs };
  switch (p.service) {
    case 'ecs': {
      const { waitStable } = await import('./ecs/service');
      const service = response.service as { deployments?: { status?: string; id?: string }[] } | undefined;
      const deploymentId = service?.deployments?.find((d) => d.status === 'PRIMARY')?.id;
      return waitStable(client as never, ctx, { cluster: String(p.input.cluster ?? 'default'), service: String(p.input.service ?? p.input.serviceName), ...w, ...(deploymentId ? { deploymentId } : {}) });
    }
    case 'rds': {
      if (['CreateDBSnapshot', 'CopyDBSnapshot'].includes(p.operation)) {
        const { waitSnapshotAvailable } = await import('./rds/snapshot');
        return waitSnapshotAvailable(client as never, ctx, String(p.input.DBSnapshotIdentifier ?? p.input.TargetDBSnapshotIdentifier), w);
      }
      if (p.operation === 'DeleteDBInstance') {
        const { findInstance } = await import('./rds/instance');
        const id = String(p.input.DBInstanceIdentifier);
        return poll({
          ctx,
          what: `DB instance \`${id}\` to be deleted`,
          ...w,
          check: async () => {
            const db = await findInstance(client as never, id, ctx);
            return db ? { state: 'pending', progress: `instance ${id}: ${db.DBInstanceStatus ?? 'deleting'}` } : { state: 'done', value: id };
          },
        });
      }
      const { waitAvailable } = await import('./rds/instance');
      return waitAvailable(client as never, ctx, { instance: String(p.input.TargetDBInstanceIdentifier ?? p.input.DBInstanceIdentifier), wait: true, ...w });
    }
    case 'route53': {
      const { waitInsync } = await import('./route53/zone');
      const info = response.ChangeInfo as { Id?: string } | undefined;
      return waitInsync(client as never, ctx, String(info?.Id ?? '').replace('/change/', ''), { wait: true, ...w });
    }
  }
}

export const awsGenericImpl: ActionImpl = {
  async plan(raw, ctx: PlanContext): Promise<PlanDescription> {
    if (hasUnknown(raw)) return deferredPlan(`AWS ${v(raw.service)} ${v(raw.operation)}`, raw);
    try {
      const parsed = parse(raw);
      const { commands } = await loadService(parsed.service, ctx);
      const p = { ...parsed, operation: resolveCommand(commands, parsed).operation };
      const waiter = waiterFor(p.service, p.operation);
      const waitLine = !p.wait ? 'no wait (wait: false)' : waiter ? `then wait until ${waiter} (poll every ${formatDuration(p.intervalMs)}, at most ${formatDuration(p.maxWaitMs)})` : 'no waiter for this operation: the step ends with the response';
      return { summary: `AWS ${p.service} ${p.operation}${isReadOperation(p.operation) ? ' (read)' : ''}`, details: [`${p.operation} ${json(p.input)}`, waitLine] };
    } catch (error) {
      return { summary: `AWS ${String(raw.service)} ${String(raw.operation)}`, details: [planReadProblem(error, ctx)] };
    }
  },

  run: (raw, ctx: ActionContext) =>
    guarded('aws', ctx, async (): Promise<ActionOutcome> => {
      const parsed = parse(raw);
      const service = await loadService(parsed.service, ctx);
      const { commands } = service;
      const client = service.client();
      const { operation, Command } = resolveCommand(commands, parsed);
      const p = { ...parsed, operation };
      const response = (await attempt(`AWS ${p.service} ${p.operation}`, () => client.send(new Command(p.input), { abortSignal: ctx.signal }))) as Record<string, unknown>;
      const result = plain(response) as Record<string, unknown>;
      if (!p.wait || !waiterFor(p.service, p.operation)) return success({ response: result }, { result });
      const waited = await waitAfter(p, client, response, ctx);
      if (!waited.ok) return waited.outcome;
      return success({ response: result, waited: plain(waited.value) }, { result });
    }),
};
