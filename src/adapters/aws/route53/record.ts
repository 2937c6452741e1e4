import type { ResourceRecordSet, RRType } from '@aws-sdk/client-route-53';
import { bool, InputError, optInt, optObject, optStr, optStrList, str, type Input } from '../input';

const TYPES = ['A', 'AAAA', 'CAA', 'CNAME', 'DS', 'HTTPS', 'MX', 'NAPTR', 'NS', 'PTR', 'SOA', 'SPF', 'SRV', 'SSHFP', 'SVCB', 'TLSA', 'TXT'] as const;
export const RECORD_TYPES: readonly string[] = TYPES;

/** Route 53 answers with lowercase, dot-terminated, octal-escaped names; compare in that form. */
export function fqdn(name: string): string {
  const lower = name.trim().toLowerCase().replace(/\\052/g, '*');
  return lower.endsWith('.') ? lower : `${lower}.`;
}

export function recordType(input: Input): RRType {
  const type = str(input, 'type').toUpperCase();
  if (!RECORD_TYPES.includes(type)) throw new InputError(`\`type\` must be one of ${RECORD_TYPES.join(', ')}, got ${type}`);
  return type as RRType;
}

export interface RecordKey {
  readonly name: string;
  readonly type: RRType;
  readonly setIdentifier?: string;
}

export function recordKey(input: Input): RecordKey {
  const setIdentifier = optStr(input, 'set_identifier');
  return { name: fqdn(str(input, 'name')), type: recordType(input), ...(setIdentifier ? { setIdentifier } : {}) };
}

export const sameRecord = (rr: ResourceRecordSet, key: RecordKey): boolean =>
  fqdn(rr.Name ?? '') === key.name && rr.Type === key.type && (rr.SetIdentifier ?? undefined) === key.setIdentifier;

/** Pure: the record set a `route53.upsert` input describes. */
export function desiredRecord(input: Input): ResourceRecordSet {
  const key = recordKey(input);
  const rr: ResourceRecordSet = { Name: key.name, Type: key.type };
  const values = optStrList(input, 'values');
  const alias = optObject(input, 'alias');
  if (values && alias) throw new InputError('give either `values` or `alias`, not both');
  if (!values && !alias) throw new InputError('give `values` (the record’s values) or `alias` (an alias target)');
  if (values) {
    if (!values.length) throw new InputError('`values` needs at least one value');
    rr.TTL = optInt(input, 'ttl', { min: 0 }) ?? 300;
    rr.ResourceRecords = values.map((v) => ({ Value: key.type === 'TXT' && !v.startsWith('"') ? JSON.stringify(v) : v }));
  }
  if (alias) {
    if (input.ttl !== undefined) throw new InputError('`ttl` does not apply to an alias record (Route 53 uses the target’s)');
    rr.AliasTarget = { HostedZoneId: str(alias, 'zone'), DNSName: str(alias, 'dns_name'), EvaluateTargetHealth: bool(alias, 'evaluate_target_health', false) };
  }
  if (key.setIdentifier) rr.SetIdentifier = key.setIdentifier;
  const weight = optInt(input, 'weight', { min: 0, max: 255 });
  if (weight !== undefined) rr.Weight = weight;
  const healthCheck = optStr(input, 'health_check_id');
  if (healthCheck) rr.HealthCheckId = healthCheck;
  const failover = optStr(input, 'failover');
  if (failover) {
    if (failover !== 'PRIMARY' && failover !== 'SECONDARY') throw new InputError(`\`failover\` must be PRIMARY or SECONDARY, got ${failover}`);
    rr.Failover = failover;
  }
  const region = optStr(input, 'region');
  if (region) rr.Region = region as ResourceRecordSet['Region'];
  if (input.multi_value !== undefined) rr.MultiValueAnswer = bool(input, 'multi_value', false);
  const routed = [rr.Weight !== undefined, !!rr.Failover, !!rr.Region, rr.MultiValueAnswer !== undefined].filter(Boolean).length;
  if (routed && !key.setIdentifier) throw new InputError('`set_identifier` is required with `weight`, `failover`, `region` or `multi_value`');
  return rr;
}

/** Pure: the `route53.upsert` input that recreates `rr`, or undefined when it uses routing the action cannot express. */
export function recordToInput(zoneId: string, rr: ResourceRecordSet): Record<string, unknown> | undefined {
  if (rr.GeoLocation || rr.CidrRoutingConfig || rr.GeoProximityLocation || rr.TrafficPolicyInstanceId) return undefined;
  const input: Record<string, unknown> = { zone: zoneId, name: rr.Name, type: rr.Type };
  if (rr.AliasTarget) input.alias = { zone: rr.AliasTarget.HostedZoneId, dns_name: rr.AliasTarget.DNSName, evaluate_target_health: rr.AliasTarget.EvaluateTargetHealth ?? false };
  else {
    input.values = (rr.ResourceRecords ?? []).map((r) => r.Value ?? '');
    if (rr.TTL !== undefined) input.ttl = rr.TTL;
  }
  if (rr.SetIdentifier) input.set_identifier = rr.SetIdentifier;
  if (rr.Weight !== undefined) input.weight = rr.Weight;
  if (rr.HealthCheckId) input.health_check_id = rr.HealthCheckId;
  if (rr.Failover) input.failover = rr.Failover;
  if (rr.Region) input.region = rr.Region;
  if (rr.MultiValueAnswer !== undefined) input.multi_value = rr.MultiValueAnswer;
  return input;
}

/** "api.example.com. CNAME ttl 60 [lb-1.example.com] (set blue, weight 100)". */
export function showRecord(rr: ResourceRecordSet | undefined): string {
  if (!rr) return '(no record)';
  const target = rr.AliasTarget ? `alias → ${rr.AliasTarget.DNSName} (zone ${rr.AliasTarget.HostedZoneId})` : `ttl ${rr.TTL ?? '?'} [${(rr.ResourceRecords ?? []).map((r) => r.Value).join(', ')}]`;
  const routing = [rr.SetIdentifier ? `set ${rr.SetIdentifier}` : '', rr.Weight !== undefined ? `weight ${rr.Weight}` : '', rr.Failover ? `failover ${rr.Failover}` : '', rr.Region ? `region ${rr.Region}` : '', rr.HealthCheckId ? `health check ${rr.HealthCheckId}` : '']
    .filter(Boolean)
    .join(', ');
  return `${rr.Name} ${rr.Type} ${target}${routing ? ` (${routing})` : ''}`;
}
