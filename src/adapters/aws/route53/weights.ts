import type { ResourceRecordSet } from '@aws-sdk/client-route-53';
import type { ActionContext, ActionImpl, PlanContext, PlanDescription, UndoAction } from '../../types';
import { guarded, planReadProblem } from '../call';
import { InputError, optObject, type Input } from '../input';
import { success } from '../outcome';
import { route53Client } from './client';
import { commentOf, syncWait, waitSettings, zoneOf } from './input';
import { fqdn, recordType } from './record';
import { changeRecords, listRecords, resolveZone, syncLine, waitInsync } from './zone';
import { deferredPlan, hasUnknown, v } from '../unknown';

function parseWeights(input: Input): Map<string, number> {
  const raw = optObject(input, 'weights');
  if (!raw || !Object.keys(raw).length) throw new InputError('`weights` needs at least one set_identifier: weight pair');
  const out = new Map<string, number>();
  for (const [id, value] of Object.entries(raw)) {
    const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isInteger(n) || n < 0 || n > 255) throw new InputError(`weight of \`${id}\` must be a whole number 0–255, got ${JSON.stringify(value)}`);
    out.set(id, n);
  }
  return out;
}

/** Pure: the UPSERTs that set the new weights, checked against the records that exist. */
export function weightChanges(records: readonly ResourceRecordSet[], weights: ReadonlyMap<string, number>, label: string): { changed: ResourceRecordSet[]; previous: Record<string, number> } {
  const weighted = new Map(records.filter((r) => r.SetIdentifier !== undefined && r.Weight !== undefined).map((r) => [r.SetIdentifier ?? '', r]));
  const missing = [...weights.keys()].filter((id) => !weighted.has(id));
  if (missing.length) {
    const have = [...weighted.keys()];
    throw new InputError(`${label} has no weighted record with set_identifier ${missing.map((m) => `\`${m}\``).join(', ')} (it has: ${have.length ? have.join(', ') : 'no weighted records'})`);
  }
  const changed: ResourceRecordSet[] = [];
  const previous: Record<string, number> = {};
  for (const [id, weight] of weights) {
    const rr = weighted.get(id) as ResourceRecordSet;
    previous[id] = rr.Weight ?? 0;
    changed.push({ ...rr, Weight: weight });
  }
  return { changed, previous };
}

function target(raw: Input) {
  return { zone: zoneOf(raw), name: fqdn(String(raw.name ?? '')), type: recordType(raw), weights: parseWeights(raw), wait: syncWait(raw) };
}

export const route53WeightsImpl: ActionImpl = {
  async plan(raw, ctx: PlanContext): Promise<PlanDescription> {
    if (hasUnknown(raw)) return deferredPlan(`Route 53 ChangeResourceRecordSets: shift weights of ${v(raw.name)} ${v(raw.type)} in zone ${v(raw.zone)}`, raw);
    try {
      const t = target(raw);
      const summary = `Route 53 ChangeResourceRecordSets: shift weights of ${t.name} ${t.type} in zone ${t.zone}`;
      const wanted = [...t.weights].map(([id, w]) => `${id} → ${w}`).join(', ');
      if (ctx.noChecks) return { summary, details: [`weights: ${wanted} (current weights not read: --no-checks)`, syncLine(t.wait)] };
      try {
        const client = route53Client(ctx);
        const zoneId = await resolveZone(client, t.zone, ctx);
        const { previous } = weightChanges(await listRecords(client, zoneId, t.name, t.type, ctx), t.weights, `${t.name} ${t.type}`);
        return { summary, details: [...[...t.weights].map(([id, w]) => `${id}: weight ${previous[id]} → ${w}`), syncLine(t.wait)] };
      } catch (error) {
        return { summary, details: [planReadProblem(error, ctx), `weights: ${wanted}`, syncLine(t.wait)] };
      }
    } catch (error) {
      return { summary: 'Route 53 weights', details: [planReadProblem(error, ctx)] };
    }
  },

  run: (raw, ctx: ActionContext) =>
    guarded('route53.weights', ctx, async () => {
      const t = target(raw);
      const client = route53Client(ctx);
      const zoneId = await resolveZone(client, t.zone, ctx);
      const { changed, previous } = weightChanges(await listRecords(client, zoneId, t.name, t.type, ctx), t.weights, `${t.name} ${t.type}`);
      ctx.progress([...t.weights].map(([id, w]) => `${id} ${previous[id]} → ${w}`).join(', '));
      const change = await changeRecords(client, zoneId, changed.map((rr) => ({ Action: 'UPSERT', ResourceRecordSet: rr })), commentOf(raw, `weights of ${t.name} ${t.type}`), ctx);
      const weights = Object.fromEntries(t.weights);
      const undoFacts = { zone_id: zoneId, name: t.name, type: t.type, previous_weights: previous };
      const outputs = { change_id: change.id, status: change.status, zone_id: zoneId, weights, previous_weights: previous };
      if (!t.wait.wait) return success(outputs, { undoFacts });
      const synced = await waitInsync(client, ctx, change.id, t.wait);
      if (!synced.ok) return synced.outcome;
      return success({ ...outputs, status: synced.value }, { undoFacts });
    }),

  undo(raw, facts): UndoAction | undefined {
    const previous = facts.previous_weights;
    if (typeof facts.zone_id !== 'string' || !previous || typeof previous !== 'object') return undefined;
    return { kind: 'route53.weights', input: { zone: facts.zone_id, name: facts.name, type: facts.type, weights: previous, ...waitSettings(raw) } };
  },
};
