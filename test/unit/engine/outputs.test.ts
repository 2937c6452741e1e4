import { describe, expect, it } from 'vitest';
import { parseJsonPath, selectOutputs } from '../../../src/engine/outputs';

describe('output selectors', () => {
  const outcome = { text: '{"a":{"b":[{"c":"deep"}],"n":3},"key with space":true}\n', outputs: { exit_code: 0, arn: 'arn:aws:x' } };

  it('stdout, json:$.path, and adapter output names', () => {
    expect(selectOutputs({ raw: 'stdout', c: 'json:$.a.b[0].c', n: 'json:$.a.n', spaced: "json:$['key with space']", arn: 'arn' }, outcome)).toEqual({
      ok: true,
      outputs: { exit_code: 0, arn: 'arn:aws:x', raw: outcome.text.trim(), c: 'deep', n: 3, spaced: true },
    });
  });

  it('regex: takes the first group, else the whole match', () => {
    const text = { text: 'deployed version 1.4.2 to prod\n', outputs: {} };
    expect(selectOutputs({ v: 'regex:version (\\S+)', all: 'regex:\\d+\\.\\d+' }, text)).toEqual({ ok: true, outputs: { v: '1.4.2', all: '1.4' } });
  });

  it('says what went wrong, naming the output', () => {
    expect(selectOutputs({ x: 'json:$.a.zz' }, outcome)).toEqual({ ok: false, message: 'output `x` (json:$.a.zz): $.a.zz: nothing at $.a.zz' });
    expect(selectOutputs({ x: 'json:$.a' }, { text: 'not json', outputs: {} })).toMatchObject({ ok: false, message: expect.stringContaining('the output is not JSON') });
    expect(selectOutputs({ x: 'regex:nomatch' }, outcome)).toEqual({ ok: false, message: 'output `x` (regex:nomatch): the pattern matched nothing in the output' });
    expect(selectOutputs({ x: 'lb' }, outcome)).toMatchObject({ ok: false, message: expect.stringContaining('(it has: exit_code, arn)') });
  });

  it('parses JSON paths', () => {
    expect(parseJsonPath('$.a[2]["b c"].d')).toEqual({ ok: true, segments: ['a', 2, 'b c', 'd'] });
    expect(parseJsonPath('a.b')).toEqual({ ok: true, segments: ['a', 'b'] });
    expect(parseJsonPath('$.a[x]')).toMatchObject({ ok: false });
  });
});
