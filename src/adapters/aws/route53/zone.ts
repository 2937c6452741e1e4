import { ChangeResourceRecordSetsCommand, GetChangeCommand, ListHostedZonesByNameCommand, ListResourceRecordSetsCommand, type Change, type Route53Client, type ResourceRecordSet } from '@aws-sdk/client-route-53';
import type { ActionContext, PlanContext } from '../../types';
import { formatDuration } from '../../../util/duration';
import { attempt, NotFoundError } from '../call';
import { InputError } from '../input';
import { poll, type PollResult } from '../poll';
import { fqdn, sameRecord, type RecordKey } from './record';

const ZONE_ID = /^(?:\/hostedzone\/)?(Z[A-Z0-9]+)$/;

/** A zone id (`Z123…`, `/hostedzone/Z123…`) as is; a zone name looked up (public and private must not clash). */
export async function resolveZone(client: Route53Client, zone: string, ctx: Pick<PlanContext, 'signal'>): Promise<string> {
  const id = ZONE_ID.exec(zone.trim());
  if (id?.[1]) return id[1];
  const name = fqdn(zone);
  const out = await attempt(`Route 53 ListHostedZonesByName (\`${zone}\`)`, () => client.send(new ListHostedZonesByNameCommand({ DNSName: name }), { abortSignal: ctx.signal }));
  const matches = (out.HostedZones ?? []).filter((z) => fqdn(z.Name ?? '') === name);
  if (!matches.length) throw new NotFoundError(`no hosted zone named \`${name}\`. Give the zone id (Z…) or check \`aws route53 list-hosted-zones\`.`);
  if (matches.length > 1) throw new InputError(`${matches.length} hosted zones are named \`${name}\` (public and private?): give the zone id instead: ${matches.map((z) => z.Id?.replace('/hostedzone/', '')).join(', ')}`);
  return (matches[0]?.Id ?? '').replace('/hostedzone/', '');
}

/** Every record set with this name and type (all weighted/failover variants), following pages. */
export async function listRecords(client: Route53Client, zoneId: string, name: string, type: string, ctx: Pick<PlanContext, 'signal'>): Promise<ResourceRecordSet[]> {
  const found: ResourceRecordSet[] = [];
  let start: { name: string; type: string; id?: string } | undefined = { name, type };
  while (start) {
    const from: { name: string; type: string; id?: string } = start;
    const out = await attempt(`Route 53 ListResourceRecordSets (zone \`${zoneId}\`, ${name} ${type})`, () =>
      client.send(
        new ListResourceRecordSetsCommand({ HostedZoneId: zoneId, StartRecordName: from.name, StartRecordType: from.type as ResourceRecordSet['Type'], ...(from.id ? { StartRecordIdentifier: from.id } : {}), MaxItems: 100 }),
        { abortSignal: ctx.signal },
      ),
    );
    const page = out.ResourceRecordSets ?? [];
    const mine = page.filter((rr) => fqdn(rr.Name ?? '') === name && rr.Type === type);
    found.push(...mine);
    const pastOurs = mine.length < page.length;
    start = out.IsTruncated && !pastOurs && out.NextRecordName ? { name: out.NextRecordName, type: out.NextRecordType ?? type, ...(out.NextRecordIdentifier ? { id: out.NextRecordIdentifier } : {}) } : undefined;
  }
  return found;
}

export async function findRecord(client: Route53Client, zoneId: string, key: RecordKey, ctx: Pick<PlanContext, 'signal'>): Promise<ResourceRecordSet | undefined> {
  return (await listRecords(client, zoneId, key.name, key.type, ctx)).find((rr) => sameRecord(rr, key));
}

export async function changeRecords(client: Route53Client, zoneId: string, changes: Change[], comment: string, ctx: ActionContext): Promise<{ id: string; status: string }> {
  const out = await attempt(`Route 53 ChangeResourceRecordSets (zone \`${zoneId}\`: ${changes.map((c) => `${c.Action} ${c.ResourceRecordSet?.Name} ${c.ResourceRecordSet?.Type}`).join(', ')})`, () =>
    client.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: zoneId, ChangeBatch: { Comment: comment, Changes: changes } }), { abortSignal: ctx.signal }),
  );
  return { id: (out.ChangeInfo?.Id ?? '').replace('/change/', ''), status: out.ChangeInfo?.Status ?? 'PENDING' };
}

export interface SyncWait {
  readonly wait: boolean;
  readonly intervalMs: number;
  readonly maxWaitMs: number;
}

export const syncLine = (w: SyncWait) => (w.wait ? `then wait until the change is INSYNC on every Route 53 name server (poll every ${formatDuration(w.intervalMs)}, at most ${formatDuration(w.maxWaitMs)})` : 'no wait (wait: false)');

export async function waitInsync(client: Route53Client, ctx: ActionContext, changeId: string, w: SyncWait): Promise<PollResult<string>> {
  return poll({
    ctx,
    what: `Route 53 change ${changeId} to be INSYNC`,
    intervalMs: w.intervalMs,
    maxWaitMs: w.maxWaitMs,
    check: async () => {
      const out = await attempt(`Route 53 GetChange (\`${changeId}\`)`, () => client.send(new GetChangeCommand({ Id: changeId }), { abortSignal: ctx.signal }));
      const status = out.ChangeInfo?.Status ?? 'PENDING';
      return status === 'INSYNC' ? { state: 'done', value: status } : { state: 'pending', progress: `change ${changeId}: ${status}` };
    },
  });
}
