import { cachedDataVersionTag } from 'node:v8';
import { afterEach, describe, expect, it } from 'vitest';
import { checkingInput, v8FlagsChanged } from '../../../src/util/v8-tiering';

// cachedDataVersionTag() hashes V8's version and flags: what V8 checks a code cache against.
describe('checkingInput', () => {
  const saved = process.env.OPSCTL_V8_TIERING;
  afterEach(() => {
    if (saved === undefined) delete process.env.OPSCTL_V8_TIERING;
    else process.env.OPSCTL_V8_TIERING = saved;
  });

  it('checks a large input with other flags, and puts them back after', () => {
    const before = cachedDataVersionTag();
    const seen = checkingInput(64 * 1024, () => ({ tag: cachedDataVersionTag(), changed: v8FlagsChanged() }));
    expect(seen.changed).toBe(true);
    expect(seen.tag).not.toBe(before);
    expect(cachedDataVersionTag()).toBe(before);
    expect(v8FlagsChanged()).toBe(false);
  });

  it('leaves the flags alone for a small input', () => {
    const before = cachedDataVersionTag();
    expect(checkingInput(10 * 1024, () => cachedDataVersionTag())).toBe(before);
    expect(v8FlagsChanged()).toBe(false);
  });

  it('puts the flags back when the check throws, and passes the error on', () => {
    const before = cachedDataVersionTag();
    expect(() =>
      checkingInput(64 * 1024, () => {
        throw new Error('bad runbook');
      }),
    ).toThrow('bad runbook');
    expect(cachedDataVersionTag()).toBe(before);
    expect(v8FlagsChanged()).toBe(false);
  });

  it('returns what the check returns, nested checks included, flags put back once', () => {
    const before = cachedDataVersionTag();
    const result = checkingInput(64 * 1024, () => checkingInput(64 * 1024, () => v8FlagsChanged()));
    expect(result).toBe(true);
    expect(cachedDataVersionTag()).toBe(before);
  });

  it('changes nothing with OPSCTL_V8_TIERING=default', () => {
    process.env.OPSCTL_V8_TIERING = 'default';
    const before = cachedDataVersionTag();
    expect(checkingInput(64 * 1024, () => cachedDataVersionTag())).toBe(before);
  });
});
