import { describe, expect, it } from 'vitest';
import { compileText, HEADER, show } from './helpers';

// F8: what an adapter would refuse at run time, when the input is written out, is an error now.
describe('adapter input checks', () => {
  it('refuses an http url that is not http(s), and a shell with both run and argv, or neither', () => {
    const result = compileText(
      `${HEADER}steps:\n  - { id: a, http: { url: "ftp://x" } }\n  - { id: b, shell: { run: "true", argv: ["true"] } }\n  - { id: c, shell: { cwd: /tmp } }\n  - { id: d, shell: "true", undo: { http: { url: "file:///etc/passwd" } } }\n`,
    );
    expect(result.ok).toBe(false);
    expect(result.diagnostics.filter((d) => d.code === 'invalid-input').map(show)).toEqual([
      expect.stringContaining('error invalid-input: step `a`: `http.url` must start with http:// or https://, not `ftp://x`'),
      expect.stringContaining('error invalid-input: step `b`: `shell` takes either `run` (a script) or `argv`'),
      expect.stringContaining('error invalid-input: step `c`: `shell` needs `run` (a script) or `argv`'),
      expect.stringContaining('error invalid-input: step `d`: `http.url` must start with http:// or https://, not `file:///etc/passwd`'),
    ]);
  });

  it('leaves values known only at run time to the run', () => {
    const result = compileText(`${HEADER}params:\n  u: { type: string, default: "http://x" }\nsteps:\n  - { id: a, http: { url: "\${{ params.u }}" } }\n  - { id: b, http: "https://example.com/health" }\n`);
    expect(result.diagnostics.filter((d) => d.code === 'invalid-input')).toEqual([]);
  });
});
