import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { handleError } from '../../../src/cli/handle-error';
import type { Diagnostic } from '../../../src/runbook/diagnostics';
import { formatDiagnostics, summarize } from '../../../src/runbook/print-diagnostics';
import { SourceFile } from '../../../src/runbook/source-file';
import { DiagnosticsError } from '../../../src/util/errors';

const a = new SourceFile('a.yaml', 'name: x\nsteps:\n  - id: one\n    shell: make\n');
const b = new SourceFile('dir/b.yaml', 'title: "long\n  value"\n');
const diags: Diagnostic[] = [
  { severity: 'error', code: 'bad', message: 'the id is bad', range: a.range(23, 26), hint: 'rename it' },
  { severity: 'warning', code: 'meh', message: 'spans two lines', range: b.range(7, 22) },
  { severity: 'error', code: 'file', message: 'the file is wrong', range: { file: 'dir/b.yaml', line: 1, col: 1, offset: 0, endOffset: 0 } },
];
const sources = new Map([
  [a.file, a.text],
  [b.file, b.text],
]);

describe('formatDiagnostics', () => {
  it('prints location, source line, caret and hint for every diagnostic', () => {
    expect(formatDiagnostics(diags, { color: false, sources })).toBe(
      [
        'a.yaml:3:9: error: the id is bad [bad]',
        '3 |   - id: one',
        '  |         ^^^',
        'hint: rename it',
        '',
        'dir/b.yaml:1:8: warning: spans two lines [meh]',
        '1 | title: "long',
        '  |        ^^^^^',
        '',
        'dir/b.yaml:1:1: error: the file is wrong [file]',
        '1 | title: "long',
        '  | ^',
      ].join('\n'),
    );
  });

  it('colours only when asked', () => {
    expect(formatDiagnostics(diags, { color: true, sources })).toContain('\u001b[');
    expect(formatDiagnostics(diags, { color: false, sources })).not.toContain('\u001b[');
  });

  it('summarizes counts', () => {
    expect(summarize(diags)).toBe('2 errors, 1 warning');
    expect(summarize([])).toBe('no problems');
  });
});

describe('handleError with a DiagnosticsError', () => {
  it('prints the diagnostics and returns exit code 2', () => {
    let written = '';
    const stderr = new Writable({
      write(chunk: Buffer, _encoding, done) {
        written += chunk.toString();
        done();
      },
    });
    const code = handleError(new DiagnosticsError('bad config', [{ severity: 'error', code: 'x', message: 'it is wrong', range: { file: '/nonexistent/opsctl.yaml', line: 2, col: 3, offset: 0, endOffset: 0 } }]), stderr);
    expect(code).toBe(2);
    expect(written).toBe('/nonexistent/opsctl.yaml:2:3: error: it is wrong [x]\n');
  });
});
