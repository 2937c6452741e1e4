import { describe, expect, it } from 'vitest';
import { paramFlags, waitLockMs } from '../../../src/cli/commands/resume';

describe('resume params', () => {
  it('turns a run record’s params back into -p flags, leaving out the secret ones', () => {
    expect(paramFlags({ version: '1.2.3', replicas: 4, dry: false, api_key: '***', tags: ['a', 'b'], none: null })).toEqual([
      'version=1.2.3',
      'replicas=4',
      'dry=false',
      'tags=["a","b"]',
    ]);
  });

  it('reads --wait-lock as a duration and names a bad one', () => {
    expect(waitLockMs('5m')).toBe(300_000);
    expect(() => waitLockMs('soon')).toThrow('--wait-lock soon: expected a duration such as 30s, 5m or 1h');
  });
});
