import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../../src/util/sha256';

const reference = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

describe('sha256Hex', () => {
  it('gives the FIPS 180-4 test vectors', () => {
    expect(sha256Hex(new Uint8Array())).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex(Buffer.from('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex(Buffer.from('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'))).toBe('248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
  });

  it('matches node:crypto on every length around the block and padding edges, and on large inputs', () => {
    for (let length = 0; length <= 200; length++) {
      const data = randomBytes(length);
      expect(sha256Hex(data), `length ${length}`).toBe(reference(data));
    }
    for (const length of [1023, 4096, 65_537, 1024 * 1024]) {
      const data = randomBytes(length);
      expect(sha256Hex(data), `length ${length}`).toBe(reference(data));
    }
  });

  it('hashes the bytes of a view, not the whole buffer under it', () => {
    const whole = Buffer.from('xxhello worldyy');
    const view = whole.subarray(2, 13);
    expect(sha256Hex(view)).toBe(reference(Buffer.from('hello world')));
  });
});
