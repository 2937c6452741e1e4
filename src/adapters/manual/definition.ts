import { s } from '../../runbook/schema-dsl';
import type { ActionDefinition } from '../types';

export const manualDefinition: ActionDefinition = {
  key: 'manual',
  summary: 'A task a person does by hand, marked done, skipped or failed, with a note',
  schema: s.object(
    {
      message: s.string({ description: 'What to do (the instructions).' }),
      evidence: s.boolean('Require a note (a link, a ticket, what was seen) before the task counts as done.'),
    },
    { required: ['message'], shortForm: 'message' },
  ),
  // A person acting on the world is a side effect: a dry-run lists the task instead of asking for it.
  effect: () => 'write',
  outputs: ['decision', 'note'],
  load: () => import('./run'),
};
