import { describe, expect, it } from 'vitest';
import { extractReferences, parseCel } from '../../../src/expr';

function refs(source: string) {
  const parsed = parseCel(source);
  if (!parsed.ok) throw new Error(parsed.message);
  return extractReferences(parsed.ast);
}

describe('extractReferences', () => {
  it('finds context paths with their offsets', () => {
    const { references } = refs('params.version + steps.build.outputs["image"] + string(vars.n)');
    expect(references).toEqual([
      { root: 'params', path: ['version'], start: 0, end: 14 },
      { root: 'steps', path: ['build', 'outputs', 'image'], start: 17, end: 45 },
      { root: 'vars', path: ['n'], start: 55, end: 61 },
    ]);
  });

  it('ignores variables bound by macros and cel.bind', () => {
    const { references } = refs('steps.q.outputs.rows.all(r, r.x > params.min) && cel.bind(v, env.HOME, v + "/x") != ""');
    expect(references.map((r) => [r.root, ...r.path].join('.'))).toEqual(['steps.q.outputs.rows', 'params.min', 'env.HOME']);
  });

  it('reports unknown roots and dynamic indexes', () => {
    const { references, calls } = refs('foo.bar || steps[params.id].status == "ok" || success()');
    expect(references.map((r) => [r.root, ...r.path].join('.'))).toEqual(['foo.bar', 'steps', 'params.id']);
    expect(calls.map((c) => c.name)).toEqual(['success']);
  });

  it('reports parse errors as data with a range', () => {
    expect(parseCel('a = 1')).toMatchObject({ ok: false, message: 'Unexpected character: =', start: 2, end: 3 });
  });
});
