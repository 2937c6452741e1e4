import type { ActionContext, ActionImpl, PlanContext, PlanDescription, UndoAction } from '../../types';
import { guarded, json, planReadProblem } from '../call';
import { success } from '../outcome';
import { route53Client } from './client';
import { commentOf, syncWait, zoneOf } from './input';
import { desiredRecord, recordKey, showRecord } from './record';
import { restoreRecord } from './undo';
import { changeRecords, findRecord, resolveZone, syncLine, waitInsync } from './zone';
import { deferredPlan, hasUnknown, v } from '../unknown';

export const route53UpsertImpl: ActionImpl = {
  async plan(raw, ctx: PlanContext): Promise<PlanDescription> {
    if (hasUnknown(raw)) return deferredPlan(`Route 53 ChangeResourceRecordSets UPSERT ${v(raw.name)} ${v(raw.type)} in zone ${v(raw.zone)}`, raw);
    try {
      const after = desiredRecord(raw);
      const w = syncWait(raw);
      const summary = `Route 53 ChangeResourceRecordSets UPSERT ${after.Name} ${after.Type} in zone ${zoneOf(raw)}`;
      const change = `UPSERT ${json(after)}`;
      if (ctx.noChecks) return { summary, details: ['now: not read (--no-checks)', `after: ${showRecord(after)}`, change, syncLine(w)] };
      try {
        const client = route53Client(ctx);
        const zoneId = await resolveZone(client, zoneOf(raw), ctx);
        const before = await findRecord(client, zoneId, recordKey(raw), ctx);
        const same = before !== undefined && showRecord(before) === showRecord(after);
        return { summary, details: [`now:   ${showRecord(before)}`, `after: ${showRecord(after)}${same ? ' (no change)' : ''}`, change, syncLine(w)] };
      } catch (error) {
        return { summary, details: [planReadProblem(error, ctx), `after: ${showRecord(after)}`, change, syncLine(w)] };
      }
    } catch (error) {
      return { summary: 'Route 53 UPSERT', details: [planReadProblem(error, ctx)] };
    }
  },

  run: (raw, ctx: ActionContext) =>
    guarded('route53.upsert', ctx, async () => {
      const after = desiredRecord(raw);
      const w = syncWait(raw);
      const client = route53Client(ctx);
      const zoneId = await resolveZone(client, zoneOf(raw), ctx);
      const key = recordKey(raw);
      const before = await findRecord(client, zoneId, key, ctx);
      ctx.progress(`${showRecord(before)} → ${showRecord(after)}`);
      const change = await changeRecords(client, zoneId, [{ Action: 'UPSERT', ResourceRecordSet: after }], commentOf(raw, `upsert ${after.Name} ${after.Type}`), ctx);
      const undoFacts = { zone_id: zoneId, name: key.name, type: key.type, set_identifier: key.setIdentifier, previous: before ?? null };
      const outputs = { change_id: change.id, status: change.status, zone_id: zoneId, fqdn: key.name, created: !before };
      if (!w.wait) return success(outputs, { result: { before, after, change }, undoFacts });
      const synced = await waitInsync(client, ctx, change.id, w);
      if (!synced.ok) return synced.outcome;
      return success({ ...outputs, status: synced.value }, { result: { before, after, change: { ...change, status: synced.value } }, undoFacts });
    }),

  undo(raw, facts): UndoAction | undefined {
    return restoreRecord(raw, facts);
  },
};
