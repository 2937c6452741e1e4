import { describe, expect, it } from 'vitest';
import { randomHex } from '../../../src/util/random-hex';

describe('randomHex', () => {
  it('gives exactly the digits asked for, in lowercase hex', () => {
    for (const digits of [1, 6, 8, 9, 20]) expect(randomHex(digits)).toMatch(new RegExp(`^[0-9a-f]{${digits}}$`));
  });

  it('does not repeat itself across many draws (names must not collide)', () => {
    const seen = new Set(Array.from({ length: 10_000 }, () => randomHex(8)));
    expect(seen.size).toBe(10_000);
  });

  it('uses every digit, leading zeros included', () => {
    const digits = new Set(Array.from({ length: 2000 }, () => randomHex(6)).join(''));
    expect(digits.size).toBe(16);
  });
});
