import { describe, expect, it } from 'vitest';
import { hasExpression, scanTemplate, singleExpression } from '../../../src/expr';

describe('scanTemplate', () => {
  it('splits text and expressions with offsets', () => {
    const scan = scanTemplate('api:${{ params.version }}-x');
    expect(scan.ok).toBe(true);
    expect(scan.parts).toEqual([
      { kind: 'text', text: 'api:', start: 0, end: 4 },
      { kind: 'expr', source: 'params.version', start: 4, end: 25, sourceStart: 8 },
      { kind: 'text', text: '-x', start: 25, end: 27 },
    ]);
  });

  it('ends an expression at the `}}` outside braces and strings', () => {
    const scan = scanTemplate('${{ {"a": {"b": "}}"}}.a.b }}!');
    expect(scan.parts[0]).toMatchObject({ kind: 'expr', source: '{"a": {"b": "}}"}}.a.b' });
    expect(scan.parts[1]).toMatchObject({ kind: 'text', text: '!' });
  });

  it('reports an unterminated expression as data', () => {
    expect(scanTemplate('x ${{ params.a ')).toMatchObject({ ok: false, offset: 2, message: 'unterminated `${{`: add the closing `}}`' });
    expect(scanTemplate('${{   }}')).toMatchObject({ ok: false, message: 'empty expression `${{ }}`' });
  });

  it('knows a lone expression', () => {
    const lone = scanTemplate(' ${{ 1 + 2 }} ');
    expect(singleExpression(lone.parts)?.source).toBe('1 + 2');
    expect(singleExpression(scanTemplate('a${{ 1 }}').parts)).toBeUndefined();
    expect(hasExpression('plain')).toBe(false);
    expect(hasExpression('x ${{ y }}')).toBe(true);
  });
});
