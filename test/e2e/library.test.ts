import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT, runOpsctl, tempProject } from './helpers';

/** Every runbook this library ships: runbooks/*.yaml, checklists and the ported examples. */
const RUNBOOKS = join(ROOT, 'runbooks');
/** The fixture config, copied to a temporary folder so runs leave nothing in the checkout. */
const project = tempProject({ 'opsctl.yaml': readFileSync(join(ROOT, 'test/fixtures/library/opsctl.yaml'), 'utf8') });
const FIXTURE = project.dir;
afterAll(() => project.cleanup());
const files = walk(RUNBOOKS).filter((f) => !/\/incident-p\d\.yaml$/.test(f)); // the incident helper's, tested there

function walk(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? walk(path) : /\.ya?ml$/.test(name) ? [path] : [];
    });
}

interface ParamDoc {
  readonly type?: string;
  readonly required?: boolean;
  readonly default?: unknown;
  readonly values?: readonly string[];
}

/** Values for required params, chosen to match the patterns the runbooks declare. */
const SAMPLES: Readonly<Record<string, string>> = {
  version: '1.2.3',
  date: '20260113',
  target: 'restored-db',
  snapshot: 'pre-deploy-snapshot',
  instance: 'library-db',
  database: 'postgres://postgres@127.0.0.1:5432/test',
  database_url: 'postgres://postgres@127.0.0.1:5432/test',
  standby_url: 'postgres://postgres@127.0.0.1:5432/test',
  file: '/tmp/opsctl-library-sample.dump',
  count: '3',
};

function requiredParams(file: string): string[] {
  const doc = parse(readFileSync(file, 'utf8')) as { params?: Record<string, ParamDoc> };
  return Object.entries(doc.params ?? {})
    .filter(([, spec]) => spec.required === true && spec.default === undefined)
    .map(([name, spec]) => `${name}=${SAMPLES[name] ?? (spec.type === 'integer' ? '3' : (spec.values?.[0] ?? 'sample'))}`);
}

describe('the runbook library', () => {
  it('validates: every shipped runbook, checklist and example, without errors', async () => {
    const result = await runOpsctl(['validate', RUNBOOKS], { cwd: FIXTURE });
    expect(result.stderr + result.stdout).not.toMatch(/\berror\b/);
    expect(result.code).toBe(0);
    for (const file of files) expect(result.stdout).toContain(file);
  });

  it('validates without warnings outside a protected environment', async () => {
    const result = await runOpsctl(['validate', ...files], { cwd: FIXTURE });
    expect(result.code).toBe(0);
    expect(result.stdout + result.stderr).not.toMatch(/warning/);
    expect(result.stdout).toContain(`${files.length} runbooks checked: all valid`);
  });

  it('has distinct names, so examples never shadow the shipped runbooks', () => {
    const names = files.map((f) => (parse(readFileSync(f, 'utf8')) as { name: string }).name);
    expect(new Set(names).size).toBe(names.length);
  });

  describe.each(files.map((f) => [relative(RUNBOOKS, f), f] as const))('%s', (_name, file) => {
    it('dry-runs against the fixture config (opsctl plan --no-checks): nothing fails, every step is planned or skipped', async () => {
      const params = requiredParams(file).flatMap((p) => ['-p', p]);
      const result = await runOpsctl(['plan', file, '--no-checks', '--env', 'staging', '--output', 'json', ...params], {
        cwd: FIXTURE,
        env: { CI: '1', PGPASSWORD: 'fixture', DEEPSEEK_API_KEY: 'fixture' },
        timeoutMs: 30_000,
      });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const events = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as { type: string; status?: string });
      expect(events.at(-1)).toMatchObject({ type: 'run.finished', status: 'planned' });
      expect(events.filter((e) => e.type === 'step.failed')).toEqual([]);
    });
  });
});
