import type { IncidentPolicyConfig } from './model';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** DESIGN.md §6: respond / resolve targets per severity; escalation per seed 004. */
export function defaultIncidentPolicy(): IncidentPolicyConfig {
  return {
    severities: {
      P1: { respondMs: 15 * MINUTE, resolveMs: HOUR },
      P2: { respondMs: HOUR, resolveMs: 4 * HOUR },
      P3: { respondMs: 4 * HOUR, resolveMs: 24 * HOUR },
      P4: { respondMs: 24 * HOUR, resolveMs: 7 * 24 * HOUR },
    },
    escalation: [
      { afterMs: 30 * MINUTE, to: 'development' },
      { afterMs: 2 * HOUR, to: 'management' },
    ],
  };
}
