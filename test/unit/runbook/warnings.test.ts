import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../../src/config/load';
import { loadRunbook } from '../../../src/runbook/load';
import { compileText, HEADER, registry, show } from './helpers';

describe('warnings', () => {
  it('flags a mutating step without undo under on_failure: rollback (and still compiles)', () => {
    const result = compileText(`${HEADER}on_failure: rollback\nsteps:\n  - { id: check, readonly: true, shell: x }\n  - { id: change, shell: y }\n  - { id: tell, notify: done }\n  - { id: undone, shell: z, undo: { shell: w } }\n`);
    expect(result.ok).toBe(true);
    expect(result.diagnostics.map(show)).toEqual([
      '7:11 warning rollback-without-undo: step `change` changes things but has no `undo`, and this runbook says `on_failure: rollback` (add `undo:` (an action, or `auto` where the adapter supports it), or `readonly: true` if it changes nothing)',
    ]);
  });

  it('flags a mutating step in a protected environment with no confirmation before it', () => {
    const text = `${HEADER}steps:\n  - { id: look, readonly: true, shell: x }\n  - { id: change, shell: y }\n  - { id: ok, needs: [], confirm: Sure?, shell: z }\n  - { id: gate, needs: [], confirm: Go? }\n  - { id: after_gate, shell: w }\n`;
    const production = { name: 'production', protected: true, vars: {} };
    expect(compileText(text).diagnostics).toEqual([]);
    expect(compileText(text, { ...production, protected: false }).diagnostics).toEqual([]);
    expect(compileText(text, production).diagnostics.map(show)).toEqual([
      '6:11 warning protected-without-confirm: step `change` changes `production` (a protected environment) with no confirmation before it (add `confirm: "…?"` to the step, or a `confirm` step it needs)',
    ]);
  });

  it('does not count manual, notify, log and wait steps as changes to a protected environment (F40)', () => {
    const text = `${HEADER}steps:\n  - { id: ack, manual: "Acknowledge the page" }\n  - { id: tell, notify: "Incident opened" }\n  - { id: note, log: started }\n  - { id: pause, wait: 1s }\n  - { id: change, shell: y }\n`;
    const production = { name: 'production', protected: true, vars: {} };
    expect(compileText(text, production).diagnostics.map(show)).toEqual([
      '9:11 warning protected-without-confirm: step `change` changes `production` (a protected environment) with no confirmation before it (add `confirm: "…?"` to the step, or a `confirm` step it needs)',
    ]);
  });

  it('flags param fields that the run never reads for that type', () => {
    const result = compileText(`${HEADER}params:\n  n: { type: integer, pattern: '^[0-9]+$', min: 1 }\n  flag: { type: boolean, max: 1 }\n  mode: { type: enum, values: [a, b], min: 1 }\n  name: { type: string, pattern: '^[a-z]+$', max: 20 }\nsteps:\n  - { id: a, log: x }\n`);
    expect(result.ok).toBe(true);
    expect(result.diagnostics.map(show)).toEqual([
      '5:32 warning ignored-field: `pattern` has no effect on param `n`: it is an integer (a pattern checks string values; bound numbers with `min` and `max`)',
      '6:31 warning ignored-field: `max` has no effect on param `flag`: it is a boolean (`min` and `max` bound numbers (and the length of strings))',
      '7:44 warning ignored-field: `min` has no effect on param `mode`: it is an enum (`min` and `max` bound numbers (and the length of strings))',
    ]);
  });

  it('flags retry settings that would be ignored', () => {
    const result = compileText(
      `${HEADER}defaults: { retry: { attempts: 3 } }\nsteps:\n  - { id: a, shell: x, retry: { delay: 5s } }\n  - { id: b, shell: x, retry: { attempts: 1, on: [timeout] } }\n  - { id: c, shell: x, retry: { attempts: 2, on: [timout, Timeout, declined, 75, ThrottlingException, sql-error] } }\n`,
    );
    expect(result.ok).toBe(true);
    expect(result.diagnostics.map(show)).toEqual([
      '7:24 warning retry-without-attempts: step `b` has `retry.on` but only 1 attempt, so it never retries (add `attempts: N` (total attempts, N > 1) to `retry`)',
      '8:51 warning unknown-retry-on: `timout` in `retry.on` of step `c` matches no failure opsctl reports (did you mean `timeout`? (other words match an adapter\'s error kind, e.g. ThrottlingException))',
      '8:59 warning unknown-retry-on: `Timeout` in `retry.on` of step `c` matches no failure opsctl reports (did you mean `timeout`? (other words match an adapter\'s error kind, e.g. ThrottlingException))',
      '8:68 warning never-retried: `declined` in `retry.on` of step `c` has no effect: a step that is declined is never retried',
    ]);
  });

  it('warns about an output selector that is no selector and no output of the adapter', () => {
    const result = compileText(`${HEADER}steps:\n  - id: a\n    shell: ./build.sh\n    outputs:\n      version: jsonpath:$.version\n      code: exit_code\n      all: stdout\n`);
    expect(result.ok).toBe(true);
    expect(result.diagnostics.map(show)).toEqual([
      '8:16 warning unknown-selector: output `version` of step `a`: `jsonpath:$.version` is not a selector (stdout, json:$.path, regex:…) nor an output of `shell` (`shell` produces: exit_code)',
    ]);
  });

  it('flags a secret field its source does not read', () => {
    const result = compileText(`${HEADER}secrets:\n  token: { from: file, name: TOKEN, path: ~/.token }\n  pw: { from: env, name: PW }\nsteps:\n  - { id: a, log: x }\n`);
    expect(result.ok).toBe(true);
    expect(result.diagnostics.map(show)).toEqual(['5:24 warning ignored-field: `name` has no effect on secret `token`, which comes `from: file` (`from: file` reads `path`)']);
  });

  it('warns about an output the step does not declare', () => {
    const result = compileText(`${HEADER}steps:\n  - { id: a, shell: x, outputs: { tag: stdout } }\n  - { id: b, log: "\${{ steps.a.outputs.tga }}" }\n`);
    expect(result.ok).toBe(true);
    expect(result.diagnostics.map(show)).toEqual(['6:24 warning unknown-output: step `a` has no output `tga` (did you mean `tag`?)']);
  });
});

describe('reading files', () => {
  it('refuses a file over 1 MiB with a clear message, without parsing it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'opsctl-big-'));
    try {
      const path = join(dir, 'big.yaml');
      writeFileSync(path, `${HEADER}# ${'x'.repeat(1024 * 1024)}\n`);
      const result = await loadRunbook(path, { registry, config: defaultConfig(dir), cwd: dir });
      expect(result.ok).toBe(false);
      expect(result.diagnostics.map(show)).toEqual(['1:1 error too-large: `big.yaml` is 1.0 MiB; files over 1 MiB are refused (split the runbook, or check that this is the file you meant)']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('resolves names through the search path and reports unknown ones', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'opsctl-search-'));
    try {
      writeFileSync(join(dir, 'hello.yaml'), `apiVersion: opsctl/v1\nkind: Runbook\nname: say-hello\nsteps:\n  - { id: a, log: hi }\n`);
      const config = { ...defaultConfig(dir), runbookPaths: [dir] };
      const found = await loadRunbook('say-hello', { registry, config, cwd: dir });
      expect(found.ok && found.graph.runbook.source.path).toBe(join(dir, 'hello.yaml'));
      const missing = await loadRunbook('say-helo', { registry, config, cwd: dir });
      expect(missing.diagnostics.map((d) => `${d.message} (${d.hint})`)).toEqual([`no runbook named \`say-helo\` in the search path (${dir}) (did you mean \`say-hello\`? (\`opsctl list\` shows them all))`]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
