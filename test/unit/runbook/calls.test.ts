import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../../src/config/load';
import type { Config } from '../../../src/config/model';
import { loadRunbookFile } from '../../../src/runbook/load';
import { registry, show } from './helpers';

/** `runbook:` steps are checked against the runbooks they call, through the search path. */
let dir: string;
let config: Config;
const head = (name: string, params = '') => `apiVersion: opsctl/v1\nkind: Runbook\nname: ${name}\n${params}steps:\n`;
const CHILD = `${head('migrate', 'params:\n  version: { required: true }\n  dry: { type: boolean, default: false }\n')}  - { id: go, log: "migrating \${{ params.version }}" }\n`;

function write(file: string, text: string): string {
  writeFileSync(join(dir, file), text);
  return join(dir, file);
}

async function load(text: string) {
  const result = await loadRunbookFile(write('parent.yaml', text), { registry, config, cwd: dir });
  return { ok: result.ok, shown: result.diagnostics.map(show) };
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'opsctl-calls-'));
  write('migrate.yaml', CHILD);
  config = { ...defaultConfig(dir), runbookPaths: [dir] };
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('runbook: steps', () => {
  it('accept a known runbook given its required params, by name or by path, and names from expressions', async () => {
    const text = `${head('parent', 'params:\n  which: { default: migrate }\n')}  - { id: a, runbook: { name: migrate, params: { version: "1.2", dry: true } } }\n  - { id: b, runbook: { name: ./migrate.yaml, params: { version: "\${{ params.which }}" } } }\n  - { id: c, runbook: "\${{ params.which }}" }\n`;
    expect(await load(text)).toEqual({ ok: true, shown: [] });
  });

  it('report an unknown runbook with a did-you-mean among the known names', async () => {
    const result = await load(`${head('parent')}  - id: a\n    runbook: migrat\n`);
    expect(result.ok).toBe(false);
    expect(result.shown).toEqual([`6:14 error unknown-runbook: step \`a\` runs \`migrat\`: no runbook named \`migrat\` in the search path (${dir}) (did you mean \`migrate\`? (\`opsctl list\` shows them all))`]);
  });

  it('report a missing required param and an unknown one', async () => {
    const result = await load(`${head('parent')}  - id: a\n    runbook:\n      name: migrate\n      params: { verison: "1.2" }\n`);
    expect(result.shown).toEqual([
      '7:13 error missing-runbook-param: step `a` runs `migrate` without its required param `version` (add it: runbook: { name: migrate, params: { version: … } })',
      '8:17 error unknown-runbook-param: runbook `migrate` has no param `verison` (given by step `a`) (did you mean `version`?)',
    ]);
  });

  it('report a runbook that calls itself directly', async () => {
    const result = await load(`${head('parent')}  - { id: again, runbook: ./parent.yaml }\n`);
    expect(result.shown).toEqual(['5:27 error runbook-cycle: runbook `parent` calls itself: `parent` → `parent` (a runbook may not call itself, directly or through others: the run would never end; break the chain)']);
  });

  it('report a cycle through other runbooks, naming the chain', async () => {
    write('b.yaml', `${head('b')}  - { id: to_c, runbook: c }\n`);
    write('c.yaml', `${head('c')}  - { id: to_a, runbook: parent }\n`);
    const result = await load(`${head('parent')}  - { id: to_b, runbook: b }\n`);
    expect(result.shown).toEqual(['5:26 error runbook-cycle: runbook `parent` calls itself: `parent` → `b` → `c` → `parent` (a runbook may not call itself, directly or through others: the run would never end; break the chain)']);
  });

  it('report a called runbook that loops among others, and one that does not load', async () => {
    write('b.yaml', `${head('b')}  - { id: to_c, runbook: c }\n`);
    write('c.yaml', `${head('c')}  - { id: to_b, runbook: b }\n`);
    write('broken.yaml', `${head('broken')}  - { id: x }\n`);
    const result = await load(`${head('parent')}  - { id: to_b, runbook: b }\n  - { id: bad, runbook: broken }\n`);
    expect(result.shown).toEqual([
      '5:26 error runbook-cycle: step `to_b` runs `b`, which calls itself: `b` → `c` → `b` (a runbook may not call itself, directly or through others: the run would never end; break the chain)',
      '6:25 error invalid-runbook: step `bad` runs `broken`, which does not load (1 error) (`opsctl validate broken` shows them)',
    ]);
  });
});
