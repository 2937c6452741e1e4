import { readdirSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { eventOf, fixture, ndjson, project, runIn } from './run-fixtures';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

describe('opsctl plan', () => {
  it('is run --dry-run: the gate is listed, nothing is asked or written, exit 0', async () => {
    const p = project();
    cleanups.push(p.cleanup);
    const result = await runIn(p.dir, ['plan', fixture('gates'), '-o', 'json']);
    expect(result.code).toBe(0);
    const events = ndjson(result.stdout);
    expect(eventOf(events, 'run.started').dryRun).toBe(true);
    expect(eventOf(events, 'step.planned', 'migrate').gate).toBe('Run the migrations?');
    expect(eventOf(events, 'step.planned', 'approve_dns').gate).toBe('Shift DNS?');
    expect(eventOf(events, 'run.finished').status).toBe('planned');
    expect(readdirSync(p.dir).filter((f) => f !== '.opsctl')).toEqual([]);
  });
});
