import type { ActionContext, ActionImpl, PlanContext, PlanDescription, UndoAction } from '../../types';
import { guarded, json, planReadProblem } from '../call';
import { success } from '../outcome';
import { route53Client } from './client';
import { commentOf, syncWait, zoneOf } from './input';
import { recordKey, showRecord } from './record';
import { restoreRecord } from './undo';
import { changeRecords, findRecord, resolveZone, syncLine, waitInsync } from './zone';
import { deferredPlan, hasUnknown, v } from '../unknown';

export const route53DeleteImpl: ActionImpl = {
  async plan(raw, ctx: PlanContext): Promise<PlanDescription> {
    if (hasUnknown(raw)) return deferredPlan(`Route 53 ChangeResourceRecordSets DELETE ${v(raw.name)} ${v(raw.type)} in zone ${v(raw.zone)}`, raw);
    try {
      const key = recordKey(raw);
      const w = syncWait(raw);
      const summary = `Route 53 ChangeResourceRecordSets DELETE ${key.name} ${key.type}${key.setIdentifier ? ` (set ${key.setIdentifier})` : ''} in zone ${zoneOf(raw)}`;
      if (ctx.noChecks) return { summary, details: ['now: not read (--no-checks); the record set as it is at run time is deleted', syncLine(w)] };
      try {
        const client = route53Client(ctx);
        const zoneId = await resolveZone(client, zoneOf(raw), ctx);
        const before = await findRecord(client, zoneId, key, ctx);
        return { summary, details: before ? [`now:   ${showRecord(before)}`, 'after: (no record)', `DELETE ${json(before)}`, syncLine(w)] : ['now: (no record) — nothing to delete'] };
      } catch (error) {
        return { summary, details: [planReadProblem(error, ctx), syncLine(w)] };
      }
    } catch (error) {
      return { summary: 'Route 53 DELETE', details: [planReadProblem(error, ctx)] };
    }
  },

  run: (raw, ctx: ActionContext) =>
    guarded('route53.delete', ctx, async () => {
      const key = recordKey(raw);
      const w = syncWait(raw);
      const client = route53Client(ctx);
      const zoneId = await resolveZone(client, zoneOf(raw), ctx);
      const before = await findRecord(client, zoneId, key, ctx);
      if (!before) {
        ctx.progress(`${key.name} ${key.type}: no record, nothing to delete`);
        return success({ zone_id: zoneId, deleted: false });
      }
      ctx.progress(`deleting ${showRecord(before)}`);
      const change = await changeRecords(client, zoneId, [{ Action: 'DELETE', ResourceRecordSet: before }], commentOf(raw, `delete ${key.name} ${key.type}`), ctx);
      const undoFacts = { zone_id: zoneId, previous: before };
      const outputs = { change_id: change.id, status: change.status, zone_id: zoneId, deleted: true };
      if (!w.wait) return success(outputs, { result: { before, change }, undoFacts });
      const synced = await waitInsync(client, ctx, change.id, w);
      if (!synced.ok) return synced.outcome;
      return success({ ...outputs, status: synced.value }, { result: { before, change: { ...change, status: synced.value } }, undoFacts });
    }),

  undo(raw, facts): UndoAction | undefined {
    return restoreRecord(raw, facts);
  },
};
