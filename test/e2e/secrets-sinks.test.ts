import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { run, stateProject } from './runs-helpers';
import { describePg } from '../support/pg';

/** A password written in a database URL param is never shown or journaled (QA F30). */
const PASSWORD = 'hunter2pwF30';
const URL = `postgres://postgres:${PASSWORD}@127.0.0.1:5432/test`;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

const project = stateProject({});
afterAll(() => project.cleanup());

describePg('F30: a password in a database= URL', () => {
  for (const args of [
    ['plan', 'maintenance', '--env', 'staging'],
    ['run', 'pg-connections', '--env', 'staging'],
    ['checklist', 'daily', '--env', 'staging', '--output', 'plain'],
  ]) {
    it(`is hidden by ${args.slice(0, 2).join(' ')}: output, and everything under .opsctl/`, async () => {
      const result = await run(project.dir, [...args, '-p', `database=${URL}`]);
      const all = result.stdout + result.stderr;
      expect(all, all).not.toContain(PASSWORD);
      for (const file of filesUnder(join(project.dir, '.opsctl'))) expect(readFileSync(file, 'utf8'), file).not.toContain(PASSWORD);
      if (args[0] !== 'checklist') expect(all).toContain('postgres://postgres:***@127.0.0.1:5432/test');
    });
  }
});
