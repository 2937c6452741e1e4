import { mkdirSync, mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load';
import { packageRoot, shippedRunbooks } from '../../../src/config/package-root';
import { DiagnosticsError } from '../../../src/util/errors';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'opsctl-config-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('loadConfig', () => {
  it('uses defaults when no opsctl.yaml is found', async () => {
    const config = await loadConfig(dir);
    expect(config.path).toBeUndefined();
    expect(config.root).toBe(dir);
    expect(config.runbookPaths).toEqual([shippedRunbooks()]);
    expect(config.state).toEqual({ backend: 'file' });
    expect(config.incidents.severities.P1).toEqual({ respondMs: 15 * 60_000, resolveMs: 3_600_000 });
    expect(config.incidents.severities.P4).toEqual({ respondMs: 24 * 3_600_000, resolveMs: 7 * 24 * 3_600_000 });
    expect(config.incidents.escalation).toEqual([
      { afterMs: 30 * 60_000, to: 'development' },
      { afterMs: 2 * 3_600_000, to: 'management' },
    ]);
  });

  it('finds opsctl.yaml upward and reads every section', async () => {
    writeFileSync(
      join(dir, 'opsctl.yaml'),
      [
        'runbooks: [./runbooks, ops/more]',
        'state: { backend: postgres, url: "${{ env.TEST_DB_URL }}" }',
        'environments:',
        '  staging: { aws: { region: us-east-1, profile: staging }, vars: { cluster: axiomcore-staging } }',
        '  production: { protected: true, vars: { cluster: axiomcore-production, replicas: 4 } }',
        'databases:',
        '  main: { url: "postgres://${{ env.TEST_DB_HOST }}/app" }',
        'incidents:',
        '  severities: { P1: { respond: 10m, resolve: 2h, runbook: my-p1 } }',
        '  escalation: [ { after: 1h, to: management }, { after: 5m, to: dev } ]',
        'notify: { webhook: "${{ env.UNSET_HOOK_VAR }}" }',
      ].join('\n'),
    );
    const nested = join(dir, 'a/b');
    mkdirSync(nested, { recursive: true });
    const config = await loadConfig(nested, { TEST_DB_URL: 'postgres://x/state', TEST_DB_HOST: 'db' });
    expect(config.path).toBe(join(dir, 'opsctl.yaml'));
    expect(config.root).toBe(dir);
    expect(config.runbookPaths).toEqual([join(dir, 'runbooks'), join(dir, 'ops/more'), shippedRunbooks()]);
    expect(config.state).toEqual({ backend: 'postgres', url: 'postgres://x/state' });
    expect(config.environments.production).toMatchObject({ name: 'production', protected: true, vars: { cluster: 'axiomcore-production', replicas: 4 } });
    expect(config.environments.staging).toMatchObject({ protected: false, aws: { region: 'us-east-1', profile: 'staging' } });
    expect(config.environments.staging?.range).toMatchObject({ line: 4, col: 3 });
    expect(config.databases.main).toEqual({ name: 'main', url: 'postgres://db/app' });
    expect(config.incidents.severities.P1).toMatchObject({ respondMs: 600_000, resolveMs: 7_200_000, runbook: 'my-p1', runbookRange: { line: 9 } });
    expect(config.incidents.severities.P2.respondMs).toBe(3_600_000);
    expect(config.incidents.escalation).toEqual([
      { afterMs: 300_000, to: 'dev' },
      { afterMs: 3_600_000, to: 'management' },
    ]);
    expect(config.notify).toEqual({});
  });

  it('warns about a `runbooks:` folder that does not exist (or is a file), at its line:col', async () => {
    mkdirSync(join(dir, 'runbooks'));
    writeFileSync(join(dir, 'notes.txt'), 'x');
    writeFileSync(join(dir, 'opsctl.yaml'), 'runbooks:\n  - ./runbooks\n  - ./ops/runbooks\n  - notes.txt\n');
    const config = await loadConfig(dir);
    expect(config.runbookPaths).toEqual([join(dir, 'runbooks'), join(dir, 'ops/runbooks'), join(dir, 'notes.txt'), shippedRunbooks()]);
    expect((config.warnings ?? []).map((d) => `${d.range.line}:${d.range.col} ${d.severity} ${d.code}: ${d.message} (${d.hint})`)).toEqual([
      `3:5 warning missing-runbooks-folder: runbook folder \`./ops/runbooks\` does not exist (${join(dir, 'ops/runbooks')}), so no runbook is found there (create it, or fix the path (relative to opsctl.yaml))`,
      `4:5 warning missing-runbooks-folder: runbook folder \`notes.txt\` is a file, not a folder (${join(dir, 'notes.txt')}), so no runbook is found there (create it, or fix the path (relative to opsctl.yaml))`,
    ]);
    writeFileSync(join(dir, 'opsctl.yaml'), 'runbooks: [./runbooks]\n');
    expect((await loadConfig(dir)).warnings).toBeUndefined();
  });

  it('reports every problem of a bad file with line and column', async () => {
    writeFileSync(join(dir, 'opsctl.yaml'), ['runbook: [x]', 'environments:', '  prod: { protectd: true }', 'incidents:', '  escalation: [ { after: soon, to: x } ]', 'notify: { webhook: "${{ params.x }}" }'].join('\n'));
    const error = await loadConfig(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DiagnosticsError);
    const diags = (error as DiagnosticsError).diagnostics.map((d) => `${d.range.line}:${d.range.col} ${d.message}${d.hint ? ` (${d.hint})` : ''}`);
    expect(diags).toEqual([
      '1:1 unknown key `runbook` at the top level (did you mean `runbooks`?)',
      '3:11 unknown key `protectd` in `environments.prod` (did you mean `protected`?)',
      '5:26 `incidents.escalation[0].after` is not a duration: `soon` (write a number and a unit, e.g. 500ms, 30s, 10m, 1h30m, 2d)',
      '6:20 `params` is not available in opsctl.yaml; only `env` is (read the process environment: ${{ env.NAME }})',
    ]);
  });

  it('points a YAML error found at the end of the file at the bracket left open, once', async () => {
    writeFileSync(join(dir, 'opsctl.yaml'), 'environments:\n  production: { protected: true\n');
    const error = await loadConfig(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DiagnosticsError);
    const diags = (error as DiagnosticsError).diagnostics.map((d) => `${d.range.line}:${d.range.col} ${d.message}`);
    expect(diags).toEqual(['2:15 YAML syntax error: this `{` is never closed']);
  });

  it('finds its own install folder from src/ and from dist/', () => {
    expect(existsSync(join(packageRoot(), 'package.json'))).toBe(true);
    expect(shippedRunbooks()).toBe(join(packageRoot(), 'runbooks'));
  });
});
