import type { ResourceRecordSet } from '@aws-sdk/client-route-53';
import type { UndoAction } from '../../types';
import { waitSettings } from './input';
import { recordToInput } from './record';

/**
 * The inverse of a record change: put back the set that was there (through `route53.upsert`, or
 * the `aws` action when it uses routing upsert cannot express), or delete the one we created.
 */
export function restoreRecord(raw: Readonly<Record<string, unknown>>, facts: Readonly<Record<string, unknown>>): UndoAction | undefined {
  const zoneId = typeof facts.zone_id === 'string' ? facts.zone_id : undefined;
  if (!zoneId) return undefined;
  const previous = facts.previous as ResourceRecordSet | null | undefined;
  if (previous === undefined) return undefined;
  if (previous === null) {
    const setId = typeof facts.set_identifier === 'string' ? { set_identifier: facts.set_identifier } : {};
    return { kind: 'route53.delete', input: { zone: zoneId, name: facts.name, type: facts.type, ...setId, ...waitSettings(raw) } };
  }
  const input = recordToInput(zoneId, previous);
  if (input) return { kind: 'route53.upsert', input: { ...input, ...waitSettings(raw) } };
  return {
    kind: 'aws',
    input: { service: 'route53', operation: 'ChangeResourceRecordSets', input: { HostedZoneId: zoneId, ChangeBatch: { Comment: 'opsctl undo', Changes: [{ Action: 'UPSERT', ResourceRecordSet: previous }] } }, ...waitSettings(raw) },
  };
}
