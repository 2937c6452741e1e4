import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { availableChecklists, locateChecklist } from '../../../src/checklist/locate';
import type { Config } from '../../../src/config/model';

const root = mkdtempSync(join(tmpdir(), 'opsctl-locate-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function folder(name: string, checklists: string[]): string {
  const dir = join(root, name);
  mkdirSync(join(dir, 'checklists'), { recursive: true });
  for (const file of checklists) writeFileSync(join(dir, 'checklists', file), 'name: x\n');
  return dir;
}

const project = folder('project', ['daily.yaml', 'release.yml']);
const shipped = folder('shipped', ['daily.yaml', 'weekly.yaml']);
const config = { root, runbookPaths: [project, join(root, 'missing'), shipped] } as unknown as Config;

describe('locateChecklist', () => {
  it('takes the project checklist before the shipped one of the same name', () => {
    expect(locateChecklist('daily', config, root)).toBe(join(project, 'checklists/daily.yaml'));
    expect(locateChecklist('weekly', config, root)).toBe(join(shipped, 'checklists/weekly.yaml'));
    expect(locateChecklist('release', config, root)).toBe(join(project, 'checklists/release.yml'));
  });

  it('reads a path as a file, relative to the working folder', () => {
    expect(locateChecklist('shipped/checklists/weekly.yaml', config, root)).toBe(join(shipped, 'checklists/weekly.yaml'));
    expect(() => locateChecklist('nope/x.yaml', config, root)).toThrow(/checklist file `nope\/x\.yaml` not found/);
  });

  it('names the checklists there are when the name is unknown', () => {
    expect(availableChecklists(config)).toEqual(['daily', 'release', 'weekly']);
    expect(() => locateChecklist('dayly', config, root)).toThrow('no checklist named `dayly`');
  });
});
