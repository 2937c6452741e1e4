import { describe, expect, it } from 'vitest';
import { deepEqual, getPath, parsePath } from '../../../src/adapters/http/json-path';

describe('json paths of http expectations', () => {
  const doc = { status: 'ok', 'odd key': 1, nested: { list: [{ v: 1 }, { v: null }] } };

  it('reads $.a.b, a.b, brackets and negative indexes', () => {
    expect(getPath(doc, '$.status')).toEqual({ found: true, value: 'ok' });
    expect(getPath(doc, 'nested.list[0].v')).toEqual({ found: true, value: 1 });
    expect(getPath(doc, "$['odd key']")).toEqual({ found: true, value: 1 });
    expect(getPath(doc, '$.nested.list[-1].v')).toEqual({ found: true, value: null });
    expect(getPath(doc, '$')).toEqual({ found: true, value: doc });
  });

  it('tells a missing value from null, and rejects a bad path', () => {
    expect(getPath(doc, '$.nested.list[5]')).toEqual({ found: false });
    expect(getPath(doc, '$.status.length')).toEqual({ found: false });
    expect(parsePath('$.a..b')).toBeUndefined();
    expect(getPath(doc, '$.a..b')).toEqual({ found: false });
  });

  it('compares values deeply', () => {
    expect(deepEqual({ a: [1, { b: 'x' }] }, { a: [1, { b: 'x' }] })).toBe(true);
    expect(deepEqual({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(deepEqual(1, '1')).toBe(false);
  });
});
