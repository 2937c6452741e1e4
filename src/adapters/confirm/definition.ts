import { s } from '../../runbook/schema-dsl';
import type { ActionDefinition } from '../types';

/** An approval gate. The engine lists it in plans and passes it with `--yes` / `--approve STEP`. */
export const confirmDefinition: ActionDefinition = {
  key: 'confirm',
  summary: 'Ask a person to approve before the run goes on',
  schema: s.object({ message: s.string({ description: 'The question.' }) }, { required: ['message'], shortForm: 'message' }),
  effect: () => 'read',
  outputs: ['approved', 'by'],
  load: () => import('./run'),
};
