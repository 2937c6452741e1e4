import { describe, expect, it } from 'vitest';
import { compileText, HEADER, show } from './helpers';

// F31: the params' types are declared, so a type error over them is found by validate.
const PARAMS = `params:\n  n: { type: integer, default: 3 }\n  s: { type: string, required: true }\n  ratio: { type: number, default: 1.5 }\n  flag: { type: boolean, default: false }\n  mode: { type: enum, values: [a, b], default: a }\n  maybe: { type: string }\n`;

function problems(steps: string): string[] {
  return compileText(`${HEADER}${PARAMS}steps:\n${steps}`).diagnostics.filter((d) => d.code === 'type-error').map(show);
}

describe('expression types over params', () => {
  it('reports a string added to an int, and a when that is not true or false', () => {
    expect(problems('  - { id: a, shell: "echo ${{ params.s + params.n }}" }\n  - { id: b, when: "${{ params.s }}", shell: x }\n')).toEqual([
      expect.stringContaining('error type-error: expression has a type error: no such overload: string + int'),
      expect.stringContaining('error type-error: `when` must be true or false, and this is a string'),
    ]);
  });

  it('accepts what the run accepts', () => {
    const fine = [
      'params.n > 2',
      'params.n + 1 > 3',
      'params.ratio * 100 > 5',
      'params.n * params.ratio > 1',
      'params.flag',
      'params.mode == "a"',
      'size(params.s) > 0 && success()',
      'params.maybe != null',
      'string(params.n) + params.s == "3x"',
      'steps.a.outputs.x + params.n > 1',
    ];
    expect(problems(`  - { id: a, shell: x, outputs: { x: stdout } }\n${fine.map((e, i) => `  - { id: c${i}, needs: [a], when: '\${{ ${e} }}', shell: x }\n`).join('')}`)).toEqual([]);
  });

  it('leaves unknown params to their own check (one message, not two)', () => {
    const result = compileText(`${HEADER}${PARAMS}steps:\n  - { id: a, when: "\${{ params.nope + 1 }}", shell: x }\n`);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['unknown-param']);
  });
});
