import { s } from '../../../runbook/schema-dsl';
import type { ActionDefinition } from '../../types';
import { waitFields } from '../common-schema';

const TYPES = ['A', 'AAAA', 'CAA', 'CNAME', 'DS', 'HTTPS', 'MX', 'NAPTR', 'NS', 'PTR', 'SOA', 'SPF', 'SRV', 'SSHFP', 'SVCB', 'TLSA', 'TXT'];
const zone = s.string({ description: 'Hosted zone id (Z…) or zone name (example.com)' });
const name = s.string({ description: 'Record name, e.g. api.example.com' });
const type = s.enumOf(TYPES, 'Record type');
const setIdentifier = s.string({ description: 'Identifies one of several records with the same name and type (weighted, failover, latency)' });
const insync = waitFields('the change is INSYNC', { interval: '5s', maxWait: '10m' });

export const route53Upsert: ActionDefinition = {
  key: 'route53.upsert',
  summary: 'Create or replace a Route 53 record set and wait until the change is INSYNC',
  schema: s.object(
    {
      zone,
      name,
      type,
      ttl: s.integer({ min: 0, description: 'Seconds (default 300; not for alias records)' }),
      values: s.array(s.string(), { minItems: 1, description: 'Record values' }),
      alias: s.object(
        { zone: s.string({ description: 'Hosted zone id of the target (e.g. the load balancer’s)' }), dns_name: s.string(), evaluate_target_health: s.boolean() },
        { required: ['zone', 'dns_name'], description: 'Alias target instead of values' },
      ),
      set_identifier: setIdentifier,
      weight: s.integer({ min: 0, max: 255, description: 'Weighted routing: share of answers' }),
      failover: s.enumOf(['PRIMARY', 'SECONDARY'], 'Failover routing role'),
      region: s.string({ description: 'Latency routing: the AWS region of this record' }),
      health_check_id: s.string(),
      multi_value: s.boolean('Multivalue answer routing'),
      comment: s.string({ description: 'Comment on the change batch' }),
      ...insync,
    },
    { required: ['zone', 'name', 'type'] },
  ),
  effect: () => 'write',
  outputs: ['change_id', 'status', 'zone_id', 'fqdn', 'created'],
  autoUndo: true,
  load: () => import('./upsert').then((m) => m.route53UpsertImpl),
};

export const route53Delete: ActionDefinition = {
  key: 'route53.delete',
  summary: 'Delete a Route 53 record set (as it is now) and wait until the change is INSYNC',
  schema: s.object({ zone, name, type, set_identifier: setIdentifier, comment: s.string(), ...insync }, { required: ['zone', 'name', 'type'] }),
  effect: () => 'write',
  outputs: ['change_id', 'status', 'zone_id', 'deleted'],
  autoUndo: true,
  load: () => import('./delete').then((m) => m.route53DeleteImpl),
};

export const route53Weights: ActionDefinition = {
  key: 'route53.weights',
  summary: 'Shift traffic between weighted Route 53 records (one change batch) and wait until INSYNC',
  schema: s.object(
    { zone, name, type, weights: s.map(s.integer({ min: 0, max: 255 }), { description: 'set_identifier → new weight, e.g. { blue: 0, green: 100 }' }), comment: s.string(), ...insync },
    { required: ['zone', 'name', 'type', 'weights'] },
  ),
  effect: () => 'write',
  outputs: ['change_id', 'status', 'zone_id', 'weights', 'previous_weights'],
  autoUndo: true,
  load: () => import('./weights').then((m) => m.route53WeightsImpl),
};

export const route53Definitions: readonly ActionDefinition[] = [route53Upsert, route53Delete, route53Weights];
