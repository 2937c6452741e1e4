import { s } from '../../runbook/schema-dsl';
import type { ActionDefinition } from '../types';

export const waitDefinition: ActionDefinition = {
  key: 'wait',
  summary: 'Wait for a duration',
  schema: s.object({ duration: s.duration('How long: `30s`, `5m`, `1m30s`.') }, { required: ['duration'], shortForm: 'duration' }),
  effect: () => 'read',
  dryRun: 'list',
  outputs: ['waited_ms'],
  load: () => import('./run'),
};
