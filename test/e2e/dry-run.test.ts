import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './helpers';
import { afterEach, describe, expect, it } from 'vitest';
import { eventOf, exists, fixture, ndjson, project, runIn } from './run-fixtures';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
const temp = () => {
  const p = project();
  cleanups.push(p.cleanup);
  return p.dir;
};

const EVIL = 'v=$(touch pwned) `touch pwned2`';

describe('dry-run and injection', () => {
  it('a dry-run writes no file and prints every command, gates listed, not asked', async () => {
    const dir = temp();
    const result = await runIn(dir, ['run', fixture('writes'), '--dry-run', '-p', 'version=1.2.3']);
    expect(result.code).toBe(0);
    expect(readdirSync(dir).filter((f) => f !== '.opsctl')).toEqual([]);
    expect(result.stdout).toContain(`echo "1.2.3" > a.txt`);
    expect(result.stdout).toContain('touch b.txt');
    expect(result.stdout).toContain('touch c.txt');
    expect(result.stdout).toContain('needs confirmation: Write c for 1.2.3?');
    expect(result.stdout).toContain("decided at run time: steps.write_a.outputs.size == '0'");
    // the read-only check ran for real
    expect(result.stdout).toContain('checking 1.2.3');
  });

  it('a check after a planned change, or reading a planned output, is listed, not run (exit 0)', async () => {
    const dir = temp();
    const result = await runIn(dir, ['plan', fixture('plan-checks'), '-o', 'json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const events = ndjson(result.stdout);
    expect(eventOf(events, 'step.succeeded', 'before')).toBeTruthy();
    expect(eventOf(events, 'step.planned', 'after').deferred).toBe('runs after the changes above; decided at run time (`change` was only planned)');
    const report = eventOf(events, 'step.planned', 'report');
    expect(report.deferred).toContain('<unknown: steps.change.outputs.version>');
    expect(report.plan.summary).toBe('log info: deployed <unknown: steps.change.outputs.version>');
    expect(events.filter((e) => e.type === 'step.started').map((e) => ('step' in e ? e.step : ''))).toEqual(['before']);
    expect(eventOf(events, 'run.finished').status).toBe('planned');
  });

  it('a wait is listed (would wait 30s), not slept', async () => {
    const dir = temp();
    const result = await runIn(dir, ['plan', fixture('plan-checks')]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/pause would wait 30s/);
    expect(result.stdout).not.toContain('waiting 30s');
  });

  it('opsctl plan demo lists `verify` (it reads the planned build) and exits 0', async () => {
    const dir = temp();
    const result = await runIn(dir, ['plan', join(ROOT, 'runbooks/demo.yaml'), '-p', `dir=${dir}/demo`]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/verify .*would read: .*<unknown: steps\.build\.outputs\.checksum>/);
    expect(result.stdout).toContain('runs after the changes above; decided at run time');
    expect(result.stdout).not.toContain('No such file');
    expect(exists(dir, 'demo')).toBe(false);
  });

  it('--no-checks plans the reads too', async () => {
    const dir = temp();
    const result = await runIn(dir, ['run', fixture('writes'), '--dry-run', '--no-checks', '-p', 'version=1.2.3', '-o', 'json']);
    expect(result.code).toBe(0);
    const events = ndjson(result.stdout);
    expect(eventOf(events, 'step.planned', 'check').effect).toBe('read');
    expect(events.some((e) => e.type === 'step.started')).toBe(false);
  });

  it('a param holding $(...) and backticks is printed, never executed (dry-run and real run)', async () => {
    const dir = temp();
    const plan = await runIn(dir, ['run', fixture('writes'), '--dry-run', '-p', `version=${EVIL}`]);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain(EVIL);
    const real = await runIn(dir, ['run', fixture('writes'), '--yes', '-p', `version=${EVIL}`]);
    expect(real.code).toBe(0);
    expect(real.stdout).toContain(`checking ${EVIL}`);
    expect(exists(dir, 'pwned')).toBe(false);
    expect(exists(dir, 'pwned2')).toBe(false);
    expect(exists(dir, 'a.txt')).toBe(true);
  });
});
