import { describe, expect, it } from 'vitest';
import { parseDetectedAt, requireSeverity } from '../../../src/cli/commands/incident-start';
import { MIN, T0 } from './fixtures';

describe('incident start flags', () => {
  it('reads --detected-at as a time or as how long ago', () => {
    expect(parseDetectedAt('20m', T0)).toBe(T0 - 20 * MIN);
    expect(parseDetectedAt('1h30m', T0)).toBe(T0 - 90 * MIN);
    expect(parseDetectedAt('2026-11-22T02:00:00Z', T0)).toBe(T0 - 60 * MIN);
    expect(() => parseDetectedAt('yesterday-ish', T0)).toThrow(/neither a time nor a duration/);
  });

  it('takes P1..P4 in any case and names the choices otherwise', () => {
    expect(requireSeverity('p2')).toBe('P2');
    expect(() => requireSeverity('SEV1')).toThrow('unknown severity `SEV1`');
    expect(() => requireSeverity(undefined)).toThrow('needs `--severity P1..P4`');
  });
});
