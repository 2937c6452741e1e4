import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runOpsctl, tempProject } from './helpers';

const GOOD = `apiVersion: opsctl/v1
kind: Runbook
name: good
title: A good runbook
params:
  version: { type: string, required: true }
steps:
  - id: build
    shell: echo \${{ params.version }}
`;

const BROKEN = `apiVersion: opsctl/v1
kind: Runbook
name: broken
steps:
  - id: build
    shel: make
  - id: test
    needs: [build]
    shell: make test
`;

const WARNED = `apiVersion: opsctl/v1
kind: Runbook
name: warned
on_failure: rollback
steps:
  - id: change
    shell: make install
`;

describe('opsctl validate', () => {
  let project: ReturnType<typeof tempProject>;
  beforeAll(() => {
    project = tempProject({
      'opsctl.yaml': 'runbooks: [./runbooks]\nenvironments:\n  production: { protected: true }\n',
      'runbooks/good.yaml': GOOD,
      'runbooks/warned.yaml': WARNED,
      'broken/broken.yaml': BROKEN,
      'broken/tabs.yaml': 'apiVersion: opsctl/v1\nkind: Runbook\nname: tabs\nsteps:\n\t- id: a\n',
    });
  });
  afterAll(() => project.cleanup());

  it('exits 0 for a valid file', async () => {
    const result = await runOpsctl(['validate', 'runbooks/good.yaml'], { cwd: project.dir });
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('ok      runbooks/good.yaml\n1 runbook checked: all valid\n');
    expect(result.code).toBe(0);
  });

  it('exits 0 with warnings only, and prints them', async () => {
    const result = await runOpsctl(['validate', 'runbooks/warned.yaml'], { cwd: project.dir });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('runbooks/warned.yaml:6:9: warning: step `change` changes things but has no `undo`');
    expect(result.stdout).toContain('ok      runbooks/warned.yaml (1 warning)');
  });

  it('prints every diagnostic of every file with file:line:col, the line and a caret, and exits 2', async () => {
    const result = await runOpsctl(['validate', 'broken', 'runbooks/good.yaml'], { cwd: project.dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      ['broken/broken.yaml:6:5: error: unknown key `shel` in `steps[0]` [unknown-key]', '6 |     shel: make', '  |     ^^^^', 'hint: did you mean `shell`?'].join('\n'),
    );
    expect(result.stderr).toContain('broken/tabs.yaml:5:1: error: a tab is used for indentation [yaml-tab-as-indent]');
    expect(result.stdout).toContain('invalid broken/broken.yaml\ninvalid broken/tabs.yaml\nok      runbooks/good.yaml\n3 runbooks checked: 2 invalid');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('reports diagnostics as JSON with --output json', async () => {
    const result = await runOpsctl(['validate', 'broken/broken.yaml', '--output', 'json'], { cwd: project.dir });
    expect(result.code).toBe(2);
    const report = JSON.parse(result.stdout) as { ok: boolean; errors: number; results: { path: string; diagnostics: { code: string; range: { line: number; col: number } }[] }[] };
    expect(report.ok).toBe(false);
    expect(report.errors).toBe(1);
    expect(report.results[0]?.diagnostics.map((d) => [d.code, d.range.line, d.range.col])).toEqual([['unknown-key', 6, 5]]);
  });

  it('checks every runbook of the search path when given no argument', async () => {
    const result = await runOpsctl(['validate'], { cwd: project.dir });
    expect(result.stdout).toContain('ok      runbooks/good.yaml\n');
    expect(result.stdout).toContain('ok      runbooks/warned.yaml (1 warning)\n');
    expect(result.stdout).not.toContain('broken');
    expect(result.code).toBe(0);
  });

  it('reports two of the team\'s runbooks with one name, with both paths; shadowing a shipped one stays quiet (F36)', async () => {
    const same = tempProject({
      'opsctl.yaml': 'runbooks: [./runbooks]\n',
      'runbooks/a.yaml': GOOD.replace('name: good', 'name: same'),
      'runbooks/sub/b.yaml': GOOD.replace('name: good', 'name: same'),
      'runbooks/deploy.yaml': GOOD.replace('name: good', 'name: deploy'),
    });
    try {
      const result = await runOpsctl(['validate'], { cwd: same.dir });
      expect(result.stderr).toContain('runbooks/sub/b.yaml:3:7: error: runbook name `same` is also the name of runbooks/a.yaml, which comes first in the search path: `opsctl run same` never runs this file [duplicate-name]');
      expect(result.stdout).toContain('invalid runbooks/sub/b.yaml\n');
      expect(result.stdout).toContain('ok      runbooks/a.yaml\n');
      expect(result.stdout).toContain('ok      runbooks/deploy.yaml\n');
      expect(result.stderr).not.toContain('deploy.yaml:');
      expect(result.code).toBe(2);
    } finally {
      same.cleanup();
    }
  });

  it('runs the later checks around the parts with schema errors, and says what it skipped (F9)', async () => {
    const early = tempProject({
      // A broken param type (schema), then errors only the later checks find: an expression over
      // an unknown param, a default below its min, a call of an unknown function.
      'stage.yaml': 'apiVersion: opsctl/v1\nkind: Runbook\nname: stage\nparams:\n  n: { type: strng }\n  r: { type: integer, min: 2, default: 1 }\nsteps:\n  - { id: a, shell: "echo ${{ params.nope }}" }\n  - { id: b, shell: "echo b", when: "${{ succes() }}", retry: { attempts: 0 } }\n',
      // A step without an id: the step graph cannot be trusted, nothing after the schema runs.
      'noid.yaml': 'apiVersion: opsctl/v1\nkind: Runbook\nname: noid\nsteps:\n  - { shell: "echo a" }\n  - { id: b, shell: "echo ${{ params.nope }}" }\n',
    });
    try {
      const text = await runOpsctl(['validate', 'stage.yaml'], { cwd: early.dir });
      expect(text.code).toBe(2);
      expect(text.stderr).toContain('stage.yaml:5:14: error: `params.n.type` must be one of string, integer, number, boolean, enum, not `strng` [not-allowed]');
      expect(text.stderr).toContain('stage.yaml:6:40: error: default 1 of param `r` is below its min 2 [default-range]');
      expect(text.stderr).toContain('stage.yaml:8:31: error: unknown param `params.nope` [unknown-param]');
      expect(text.stderr).toContain('stage.yaml:9:42: error: unknown function `succes()` [unknown-function]');
      expect(text.stderr).toContain('stage.yaml:9:75: error: `steps[1].retry.attempts` must be at least 1, not 0 [too-small]');
      expect(text.stderr).toContain('note: stage.yaml: the later checks (params, expressions, the step graph) skipped the parts with errors above');
      expect(text.stdout).toContain('1 runbook checked: 1 invalid (5 errors)');
      const json = await runOpsctl(['validate', 'stage.yaml', '--output', 'json'], { cwd: early.dir });
      expect((JSON.parse(json.stdout) as { results: { incomplete?: boolean; skipped?: string }[] }).results[0]).toMatchObject({ incomplete: true, skipped: 'parts' });

      const noid = await runOpsctl(['validate', 'noid.yaml', '--output', 'json'], { cwd: early.dir });
      const result = (JSON.parse(noid.stdout) as { results: { incomplete?: boolean; skipped?: string; diagnostics: { code: string }[] }[] }).results[0];
      expect(result).toMatchObject({ incomplete: true, skipped: 'all' });
      expect(result?.diagnostics.map((d) => d.code)).toEqual(['missing-key']);
      const noidText = await runOpsctl(['validate', 'noid.yaml'], { cwd: early.dir });
      expect(noidText.stderr).toContain('note: noid.yaml: the later checks (params, expressions, the step graph) did not run because of the errors above');

      // Once the errors are fixed, no note.
      const fixed = tempProject({ 'stage.yaml': 'apiVersion: opsctl/v1\nkind: Runbook\nname: stage\nparams:\n  n: { type: string }\nsteps:\n  - { id: a, shell: "echo ${{ params.n }}" }\n' });
      try {
        const again = await runOpsctl(['validate', 'stage.yaml'], { cwd: fixed.dir });
        expect(again.code).toBe(0);
        expect(again.stderr).not.toContain('note:');
      } finally {
        fixed.cleanup();
      }
    } finally {
      early.cleanup();
    }
  });

  it('checks that the incident runbooks named in opsctl.yaml exist (F11)', async () => {
    const incidents = tempProject({
      'opsctl.yaml': 'runbooks: [./runbooks]\nincidents:\n  severities:\n    P1: { runbook: nosuch-runbook }\n    P2: { runbook: good }\n',
      'runbooks/good.yaml': GOOD,
    });
    try {
      const result = await runOpsctl(['validate'], { cwd: incidents.dir });
      expect(result.stderr).toContain('opsctl.yaml:4:20: error: incidents.severities.P1.runbook: no runbook named `nosuch-runbook`');
      expect(result.stderr).not.toContain('P2');
      expect(result.stdout).toContain('opsctl.yaml: 1 error\n');
      expect(result.code).toBe(2);
    } finally {
      incidents.cleanup();
    }
  });

  it('checks a sql step\'s database name against opsctl.yaml (F11)', async () => {
    const sql = tempProject({
      'opsctl.yaml': 'databases:\n  main: { url: "postgres://u@127.0.0.1/app" }\n',
      'db.yaml': [
        'apiVersion: opsctl/v1',
        'kind: Runbook',
        'name: db',
        'params:',
        '  target: { type: string, default: main }',
        'steps:',
        '  - { id: typo, sql: { database: mian, query: "select 1" } }',
        '  - { id: named, sql: { database: main, query: "select 1" } }',
        '  - { id: url, sql: { database: "postgres://u@127.0.0.1/x", query: "select 1" } }',
        '  - { id: given, sql: { database: "${{ params.target }}", query: "select 1" } }',
        '',
      ].join('\n'),
    });
    try {
      const result = await runOpsctl(['validate', 'db.yaml'], { cwd: sql.dir });
      expect(result.stderr).toContain('db.yaml:7:5: error: step `typo` reads database `mian`, which is neither a name under `databases:` in opsctl.yaml nor a postgres:// URL [unknown-database]');
      expect(result.stderr).toContain('hint: did you mean `main`?');
      expect(result.stderr.match(/unknown-database/g)).toHaveLength(1);
      expect(result.code).toBe(2);
    } finally {
      sql.cleanup();
    }
  });

  it('runs the protected-environment checks with --env', async () => {
    const result = await runOpsctl(['validate', 'runbooks/good.yaml', '--env', 'production'], { cwd: project.dir });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('warning: step `build` changes `production` (a protected environment) with no confirmation before it');
    const unknown = await runOpsctl(['validate', '--env', 'prod'], { cwd: project.dir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('error: --env prod: there is no environment `prod`');
    expect(unknown.stderr).toContain('hint: did you mean `production`?');
  });

  it('run and plan refuse an --env that opsctl.yaml does not declare, listing the known ones', async () => {
    for (const command of ['run', 'plan']) {
      const result = await runOpsctl([command, 'good', '-p', 'version=1', '--env', 'nope'], { cwd: project.dir });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('--env nope: there is no environment `nope`');
      expect(result.stderr).toContain('known environments: production');
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('warns about a `runbooks:` folder that does not exist, at its line:col in opsctl.yaml', async () => {
    const missing = tempProject({ 'opsctl.yaml': 'runbooks: [./runbooks, ./ops/runbooks]\n', 'runbooks/good.yaml': GOOD });
    try {
      const result = await runOpsctl(['validate'], { cwd: missing.dir });
      expect(result.code).toBe(0);
      expect(result.stderr).toContain('opsctl.yaml:1:24: warning: runbook folder `./ops/runbooks` does not exist');
      expect(result.stdout).toContain('ok      runbooks/good.yaml\n');
      const json = await runOpsctl(['validate', '--output', 'json'], { cwd: missing.dir });
      expect(JSON.parse(json.stdout)).toMatchObject({ ok: true, warnings: 1, config: { path: 'opsctl.yaml', diagnostics: [{ code: 'missing-runbooks-folder', range: { line: 1, col: 24 } }] } });
    } finally {
      missing.cleanup();
    }
  });

  it('checks runbook: steps against the runbooks they call', async () => {
    const calls = tempProject({
      'opsctl.yaml': 'runbooks: [./runbooks]\n',
      'runbooks/good.yaml': GOOD,
      'runbooks/caller.yaml': 'apiVersion: opsctl/v1\nkind: Runbook\nname: caller\nsteps:\n  - { id: typo, runbook: godo }\n  - { id: bare, runbook: good }\n  - { id: loop, runbook: caller }\n',
    });
    try {
      const result = await runOpsctl(['validate', 'caller'], { cwd: calls.dir });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('runbooks/caller.yaml:5:26: error: step `typo` runs `godo`: no runbook named `godo` in the search path');
      expect(result.stderr).toContain('did you mean `good`?');
      expect(result.stderr).toContain('runbooks/caller.yaml:6:26: error: step `bare` runs `good` without its required param `version` [missing-runbook-param]');
      expect(result.stderr).toContain('runbooks/caller.yaml:7:26: error: runbook `caller` calls itself: `caller` → `caller` [runbook-cycle]');
    } finally {
      calls.cleanup();
    }
  });

  it('exits 2 for a missing file, without a stack trace', async () => {
    const result = await runOpsctl(['validate', 'nope.yaml'], { cwd: project.dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('nope.yaml:1:1: error: `nope.yaml` does not exist [not-found]');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('reports a broken opsctl.yaml with the same diagnostics', async () => {
    const bad = tempProject({ 'opsctl.yaml': 'runbook: [x]\n' });
    try {
      const result = await runOpsctl(['validate'], { cwd: bad.dir });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('opsctl.yaml:1:1: error: unknown key `runbook` at the top level [unknown-key]');
      expect(result.stderr).toContain('hint: did you mean `runbooks`?');
    } finally {
      bad.cleanup();
    }
  });
});
