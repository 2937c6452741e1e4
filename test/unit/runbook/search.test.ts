import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../../src/config/load';
import type { Config } from '../../../src/config/model';
import { findRunbooks, looksLikePath, resolveRunbook } from '../../../src/runbook/search';

let dir: string;
let config: Config;
const book = (name: string) => `apiVersion: opsctl/v1\nkind: Runbook\nname: ${name}\nsteps:\n  - { id: a, log: hi }\n`;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'opsctl-search-'));
  for (const [path, text] of Object.entries({ 'one/deploy.yaml': book('deploy'), 'one/sub/x.yml': book('extra'), 'one/.hidden/y.yaml': book('hidden'), 'two/deploy.yaml': book('deploy'), 'two/other.yaml': 'name: "other-one"\n', 'two/notes.txt': 'x' })) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  config = { ...defaultConfig(dir), runbookPaths: [join(dir, 'one'), join(dir, 'two'), join(dir, 'missing')] };
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('runbook search path', () => {
  it('finds runbooks in path order, recursively, skipping hidden folders, marking shadowed names', async () => {
    const found = await findRunbooks(config);
    expect(found.map((e) => [e.name, e.path.slice(dir.length + 1), e.shadowed, e.builtin])).toEqual([
      ['deploy', 'one/deploy.yaml', false, false],
      ['extra', 'one/sub/x.yml', false, false],
      ['deploy', 'two/deploy.yaml', true, false],
      ['other-one', 'two/other.yaml', false, false],
    ]);
  });

  it('counts a link to a runbook file, skips a dangling link and does not follow a linked folder', async () => {
    symlinkSync(join(dir, 'two/other.yaml'), join(dir, 'one/linked.yaml'));
    symlinkSync(join(dir, 'nowhere.yaml'), join(dir, 'one/dangling.yaml'));
    symlinkSync(join(dir, 'two'), join(dir, 'one/folder-link'));
    const found = await findRunbooks({ ...config, runbookPaths: [join(dir, 'one')] });
    expect(found.map((e) => [e.name, e.path.slice(dir.length + 1)])).toEqual([
      ['deploy', 'one/deploy.yaml'],
      ['other-one', 'one/linked.yaml'],
      ['extra', 'one/sub/x.yml'],
    ]);
  });

  it('resolves a name to the first match and a path to a file', async () => {
    expect(await resolveRunbook('deploy', config)).toBe(join(dir, 'one/deploy.yaml'));
    expect(await resolveRunbook('x', config)).toBe(join(dir, 'one/sub/x.yml'));
    expect(await resolveRunbook('./two/deploy.yaml', config, dir)).toBe(join(dir, 'two/deploy.yaml'));
    await expect(resolveRunbook('deplyo', config)).rejects.toThrow('no runbook named `deplyo` in the search path');
  });

  it('tells names from paths', () => {
    expect(looksLikePath('deploy')).toBe(false);
    expect(looksLikePath('deploy.yaml')).toBe(true);
    expect(looksLikePath('runbooks/deploy')).toBe(true);
  });
});
