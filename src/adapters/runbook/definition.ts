import { s } from '../../runbook/schema-dsl';
import type { ActionDefinition } from '../types';

export const runbookDefinition: ActionDefinition = {
  key: 'runbook',
  summary: 'Run another runbook with params; its steps nest under this one',
  schema: s.object(
    {
      name: s.string({ description: 'Runbook name from the search path, or a path.' }),
      params: s.map(s.any(), { description: 'Params of the called runbook.' }),
    },
    { required: ['name'], shortForm: 'name' },
  ),
  effect: (_input, step) => (step.readonly ? 'read' : 'write'),
  load: () => import('./run'),
};
