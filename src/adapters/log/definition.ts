import { s } from '../../runbook/schema-dsl';
import type { ActionDefinition } from '../types';

export const LOG_LEVELS = ['info', 'warn', 'error'] as const;

export const logDefinition: ActionDefinition = {
  key: 'log',
  summary: 'Write a line to the journal and timeline',
  schema: s.object(
    { message: s.string({ description: 'The line.' }), level: s.enumOf(LOG_LEVELS, 'Default info.') },
    { required: ['message'], shortForm: 'message' },
  ),
  effect: () => 'read',
  outputs: ['message', 'level'],
  load: () => import('./run'),
};
