import { describe, expect, it } from 'vitest';
import { compileText, HEADER } from './helpers';

/** F9: with schema errors, the later checks run over the parts without any. */
function check(body: string) {
  const result = compileText(HEADER + body);
  if (result.ok) throw new Error('expected errors');
  return { codes: result.diagnostics.map((d) => `${d.range.line}:${d.code}`), incomplete: result.incomplete };
}

describe('later checks around schema errors', () => {
  it('reports the other params\u2019 and the steps\u2019 errors next to a broken param, not the broken param\u2019s own', () => {
    const { codes, incomplete } = check(
      [
        'params:',
        '  v: { type: strng, values: [a] }', // 5: schema; `values` without enum is not said again
        '  r: { type: integer, min: 2, default: 1 }', // 6: default-range (a later check)
        'steps:',
        '  - { id: a, shell: "echo ${{ params.v }} ${{ params.nope }}" }', // 8: unknown-param
        '',
      ].join('\n'),
    );
    expect(codes).toEqual(['5:not-allowed', '6:default-range', '8:unknown-param']);
    expect(incomplete).toBe('parts');
  });

  it('checks the other fields of a step that has one broken field', () => {
    const { codes } = check(['steps:', '  - id: a', '    shell: echo ${{ params.nope }}', '    on_failure: contine', '    when: ${{ succes() }}', ''].join('\n'));
    expect(codes).toEqual(['6:unknown-param', '7:not-allowed', '8:unknown-function']);
  });

  it('leaves the checks of a whole step (undo with its action) to the steps without errors', () => {
    const steps = (timeout: string) => ['steps:', '  - { id: a, shell: "make", undo: auto, timeout: ' + timeout + ' }', '  - { id: b, shell: "make", undo: auto, timeout: x }', ''].join('\n');
    // b's timeout is broken: its `undo: auto` is not judged; a's is, when a is clean.
    expect(check(steps('10s')).codes).toEqual(['5:no-auto-undo', '6:bad-duration']);
    expect(check(steps('x')).codes).toEqual(['5:bad-duration', '6:bad-duration']);
  });

  it('does not judge reads of the outputs of a step with errors', () => {
    const reads = (retry: string) =>
      compileText(HEADER + ['steps:', `  - { id: a, shell: "echo 1", outputs: { v: "json:$.v" }, retry: { attempts: ${retry} } }`, '  - { id: b, shell: "echo ${{ steps.a.outputs.nope }}" }', '', 'vars: { x: 1 }', ''].join('\n')).diagnostics.map((d) => d.code);
    expect(reads('2')).toContain('unknown-output');
    expect(reads('0')).toEqual(['too-small']);
  });

  it('stops after the schema when the errors leave nothing to trust', () => {
    const cases = {
      'a step without an id': 'steps:\n  - { shell: "echo a" }\n  - { id: b, shell: "echo ${{ params.nope }}" }\n',
      'a step id that is not an id': 'steps:\n  - { id: run-it, shell: "echo a" }\n  - { id: b, shell: "echo ${{ params.nope }}" }\n',
      'broken needs': 'steps:\n  - { id: a, shell: "echo a" }\n  - { id: b, needs: a, shell: "echo ${{ params.nope }}" }\n',
      'broken defaults': 'defaults: { timeout: forever }\nsteps:\n  - { id: b, shell: "echo ${{ params.nope }}" }\n',
      'steps not a list': 'params: { p: { type: strng } }\nsteps: { id: b, shell: "echo ${{ params.nope }}" }\n',
      'a param name that is not a name': 'params:\n  1bad: { type: string }\nsteps:\n  - { id: b, shell: "echo ${{ params.nope }}" }\n',
    };
    for (const [what, body] of Object.entries(cases)) {
      const { codes, incomplete } = check(body);
      expect({ what, incomplete, later: codes.filter((c) => c.endsWith('unknown-param')) }).toEqual({ what, incomplete: 'all', later: [] });
    }
  });

  it('goes on past errors that the later checks do not read (a misspelt top-level value)', () => {
    const { codes, incomplete } = check('on_failure: rolback\nsteps:\n  - { id: b, shell: "echo ${{ params.nope }}" }\n');
    expect(codes).toEqual(['4:not-allowed', '6:unknown-param']);
    expect(incomplete).toBe('parts');
  });
});
