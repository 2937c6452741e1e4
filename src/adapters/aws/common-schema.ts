import { s } from '../../runbook/schema-dsl';
import type { SchemaNode } from '../../runbook/schema-dsl';

/** Fields every waiting AWS action shares. */
export const waitFields = (what: string, defaults: { interval: string; maxWait: string }): Record<string, SchemaNode> => ({
  wait: s.boolean(`Wait until ${what} (default true)`),
  poll_interval: s.duration(`How often to look while waiting (default ${defaults.interval})`),
  max_wait: s.duration(`Give up waiting after this long (default ${defaults.maxWait}); the step timeout also bounds the wait`),
});
