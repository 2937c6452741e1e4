import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileText, show } from './helpers';

/**
 * Bad input yields diagnostics, never an exception: every line of a full runbook is deleted in
 * turn, and every value is replaced by each of a few wrong shapes.
 */
const VALID = readFileSync('test/fixtures/valid/deploy.yaml', 'utf8');
const LINES = VALID.split('\n');
const WRONG = ['~', '[]', '{}', '0', 'true', '"${{ }}"', '[a, {b: c}]', '"${{ steps.nope.outputs.x }}"'];

function compiles(text: string): boolean {
  const result = compileText(text);
  for (const d of result.diagnostics) {
    expect(d.range.line).toBeGreaterThanOrEqual(1);
    expect(d.message.length).toBeGreaterThan(0);
  }
  return result.ok;
}

describe('robustness', () => {
  it('survives deleting any line', () => {
    for (let i = 0; i < LINES.length; i++) expect(() => compiles([...LINES.slice(0, i), ...LINES.slice(i + 1)].join('\n'))).not.toThrow();
  });

  it('survives any value being the wrong shape', () => {
    let failures = 0;
    LINES.forEach((line, i) => {
      const match = /^(\s*(?:- )?[\w.]+:)\s*(.+)$/.exec(line);
      if (!match) return;
      for (const wrong of WRONG) {
        const text = [...LINES.slice(0, i), `${match[1]} ${wrong}`, ...LINES.slice(i + 1)].join('\n');
        expect(() => compiles(text), `line ${i + 1} = ${wrong}`).not.toThrow();
        if (!compileText(text).ok) failures++;
      }
    });
    expect(failures).toBeGreaterThan(100);
  });

  it('runs the later checks around a value of the wrong shape, with no echo of it elsewhere (F9)', () => {
    let around = 0;
    LINES.forEach((line, i) => {
      const match = /^(\s*(?:- )?[\w.]+:)\s*(.+)$/.exec(line);
      if (!match) return;
      for (const wrong of ['~', '[]', '{}', '0', 'true', 'x y']) {
        const result = compileText([...LINES.slice(0, i), `${match[1]} ${wrong}`, ...LINES.slice(i + 1)].join('\n'));
        if (result.ok || result.incomplete !== 'parts') continue;
        around++;
        expect(result.diagnostics.filter((d) => d.range.line !== i + 1).map(show), `line ${i + 1} = ${wrong}`).toEqual([]);
      }
    });
    expect(around).toBeGreaterThan(100);
  });

  it('reports a document that is a list or a scalar', () => {
    expect(compileText('- a\n- b\n').diagnostics.map((d) => d.message)).toEqual(['the file must be a mapping, not a list']);
    expect(compileText('just text\n').diagnostics.map((d) => d.message)).toEqual(['the file must be a mapping, not the string `just text`']);
  });
});
