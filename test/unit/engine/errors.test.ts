import { describe, expect, it } from 'vitest';
import { timeoutMessage } from '../../../src/engine/errors';

describe('timeoutMessage', () => {
  it('says how long, then what the adapter said', () => {
    expect(timeoutMessage(900_000, 'the step timeout (15m) passed; last state: rollout IN_PROGRESS')).toBe('timed out after 15m: the step timeout (15m) passed; last state: rollout IN_PROGRESS');
  });
  it('does not repeat itself when the adapter said only that, or already said it', () => {
    expect(timeoutMessage(1000, 'timed out after 1s')).toBe('timed out after 1s');
    expect(timeoutMessage(1000, '')).toBe('timed out after 1s');
    expect(timeoutMessage(1000, 'the script timed out after 1s')).toBe('the script timed out after 1s');
  });
});
