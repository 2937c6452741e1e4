import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ListCache } from '../../../src/cli/commands/list-cache';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'opsctl-list-cache-'));
  dirs.push(dir);
  const a = join(dir, 'a.yaml');
  const b = join(dir, 'b.yaml');
  writeFileSync(a, 'name: a\n');
  writeFileSync(b, 'name: b\n');
  const env = { OPSCTL_CACHE_DIR: join(dir, 'cache') };
  const open = (config: unknown = { root: dir }) => new ListCache<string>(config, [a, b], env);
  return { dir, a, b, env, open };
}

describe('ListCache', () => {
  it('gives back what was saved while the files, the config and the build are unchanged', () => {
    const { a, b, open } = setup();
    const first = open();
    expect(first.get(a)).toBeUndefined();
    first.set(a, 'A', false);
    first.set(b, 'B', true);
    first.save();
    const second = open();
    expect(second.get(a)).toBe('A');
    expect(second.get(b)).toBe('B');
  });

  it('misses a file that changed, and another config', () => {
    const { a, b, open } = setup();
    const first = open();
    first.set(a, 'A', false);
    first.set(b, 'B', false);
    first.save();
    writeFileSync(a, 'name: a\ntitle: longer now\n');
    const second = open();
    expect(second.get(a)).toBeUndefined();
    expect(second.get(b)).toBe('B');
    expect(open({ other: true }).get(b)).toBeUndefined();
  });

  it('misses a runbook that calls others once any file of the search path changed (same size, new mtime)', () => {
    const { a, b, open } = setup();
    const first = open();
    first.set(a, 'A', true);
    first.set(b, 'B', false);
    first.save();
    const later = new Date(Date.now() + 5000);
    utimesSync(b, later, later);
    const second = open();
    expect(second.get(a)).toBeUndefined();
    expect(second.get(b)).toBeUndefined();
  });

  it('keeps several configurations (folders) in one file, the four most recent', () => {
    const { a, b, env, dir } = setup();
    for (let i = 0; i < 6; i++) {
      const cache = new ListCache<string>({ folder: i }, [a, b], env);
      cache.set(a, `A${i}`, false);
      cache.save();
    }
    expect(new ListCache<string>({ folder: 5 }, [a, b], env).get(a)).toBe('A5');
    expect(new ListCache<string>({ folder: 2 }, [a, b], env).get(a)).toBe('A2');
    expect(new ListCache<string>({ folder: 1 }, [a, b], env).get(a)).toBeUndefined();
    expect(readdirSync(join(dir, 'cache'))).toEqual(['list.json']);
  });

  it('is off with OPSCTL_CACHE_DIR=off, and a damaged cache file is a miss, not an error', () => {
    const { dir, a, b, env } = setup();
    const off = new ListCache<string>({}, [a, b], { OPSCTL_CACHE_DIR: 'off' });
    off.set(a, 'A', false);
    off.save();
    expect(new ListCache<string>({}, [a, b], { OPSCTL_CACHE_DIR: 'off' }).get(a)).toBeUndefined();
    const first = new ListCache<string>({}, [a, b], env);
    first.set(a, 'A', false);
    first.save();
    for (const name of readdirSync(join(dir, 'cache'))) writeFileSync(join(dir, 'cache', name), '{ not json');
    expect(new ListCache<string>({}, [a, b], env).get(a)).toBeUndefined();
  });
});
