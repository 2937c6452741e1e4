import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileText } from './helpers';

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

  it('reports a document that is a list or a scalar', () => {
    expect(compileText('- a\n- b\n').diagnostics.map((d) => d.message)).toEqual(['the file must be a mapping, not a list']);
    expect(compileText('just text\n').diagnostics.map((d) => d.message)).toEqual(['the file must be a mapping, not the string `just text`']);
  });
});
