import { s } from '../../runbook/schema-dsl';
import type { ActionDefinition } from '../types';

export const notifyDefinition: ActionDefinition = {
  key: 'notify',
  summary: 'POST a Slack-compatible JSON message to a webhook',
  schema: s.object(
    {
      text: s.string({ description: 'The message (Slack `text`).' }),
      webhook: s.string({ description: 'Webhook URL (default: `notify.webhook` in opsctl.yaml).' }),
      channel: s.string({ description: 'Channel override, for webhooks that accept one.' }),
      fields: s.map(s.oneOf([s.string(), s.number(), s.boolean()]), { description: 'Extra name/value pairs, sent as a Slack attachment.' }),
      timeout: s.duration('Request timeout (default 10s).'),
    },
    { required: ['text'], shortForm: 'text' },
  ),
  effect: () => 'write',
  outputs: ['status'],
  load: () => import('./run'),
};
