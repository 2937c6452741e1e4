import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run, stateProject } from './runs-helpers';

const CANARY = 'canary-line-one-7f3a9\ncanary-line-two-9b2c4';
const FILE_SECRET = 'file-secret-51d0e2aa';
const TOKEN = 'tok-3e8f1c77aa';

const RUNBOOK = `apiVersion: opsctl/v1
kind: Runbook
name: canary
title: Canary secrets
params:
  token: { type: string, required: true, secret: true }
secrets:
  canary: { from: env, name: CANARY_SECRET }
  from_file: { from: file, path: ../secret.txt }
steps:
  - id: show
    shell: |
      echo "plain: \${{ secrets.canary }}"
      printf '%s' "\${{ secrets.canary }}" | base64 -w0; echo
      printf '%s\\n' "\${{ secrets.canary }}" | while IFS= read -r line; do printf '%s' "$line" | base64 -w0; echo; done
      echo "url: $(printf '%s' "\${{ secrets.canary }}" | od -An -tx1 | tr -d ' \\n' | sed 's/../%&/g')"
      echo "file: \${{ secrets.from_file }} token: \${{ params.token }}"
      printf '%s' "\${{ params.token }}" | base64 -w0; echo
      echo "env: $CANARY_SECRET"
      tr '\\0' ' ' < /proc/$$/cmdline > cmdline.txt
    outputs: { all: stdout }
  - id: fail_loudly
    on_failure: continue
    shell: echo "bad \${{ secrets.canary }} \${{ params.token }}" >&2; exit 3
  - id: reuse
    shell: echo "again \${{ steps.show.outputs.all }}"
`;

/** Every form of every secret that must never appear. */
function forbidden(): string[] {
  const values = [CANARY, ...CANARY.split('\n'), FILE_SECRET, TOKEN];
  const forms = new Set<string>();
  for (const value of values) {
    forms.add(value);
    forms.add(Buffer.from(value).toString('base64'));
    forms.add(Buffer.from(value).toString('base64').replace(/=+$/, ''));
    forms.add(encodeURIComponent(value));
  }
  return [...forms];
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

const project = stateProject({ canary: RUNBOOK });
writeFileSync(join(project.dir, 'secret.txt'), `${FILE_SECRET}\n`);
afterAll(() => project.cleanup());
const ENV = { CANARY_SECRET: CANARY };

function expectClean(where: string, text: string): void {
  for (const form of forbidden()) expect(text.includes(form), `${where} contains ${JSON.stringify(form)}`).toBe(false);
}

describe('a canary secret never leaves opsctl', () => {
  for (const output of ['pretty', 'plain', 'json'] as const) {
    it(`run in ${output} mode: stdout, stderr, the report and .opsctl/ hold no form of it`, async () => {
      const report = join(project.dir, `report-${output}.json`);
      const junit = join(project.dir, `report-${output}.xml`);
      const result = await run(project.dir, ['run', 'canary', '--env', 'staging', '-p', `token=${TOKEN}`, '--output', output, '--report', report], { env: ENV });
      expect(result.code).toBe(0);
      // The step really printed the values (as ***), so a clean output is not an empty one.
      expect(result.stdout).toContain('plain: ***');
      expect(result.stdout).toContain(`file: *** token: ***`);
      expectClean('stdout', result.stdout);
      expectClean('stderr', result.stderr);
      expectClean('report', readFileSync(report, 'utf8'));
      const xml = await run(project.dir, ['run', 'canary', '--env', 'staging', '-p', `token=${TOKEN}`, '--output', output, '--report', junit], { env: ENV });
      expect(xml.code).toBe(0);
      expectClean('junit report', readFileSync(junit, 'utf8'));
      for (const file of filesUnder(join(project.dir, '.opsctl'))) expectClean(file, readFileSync(file, 'utf8'));
      // The step's own command line (what `ps` shows) holds references, never the values.
      const cmdline = readFileSync(join(project.dir, 'cmdline.txt'), 'utf8');
      expect(cmdline).toContain('OPSCTL_V');
      expectClean('the step command line', cmdline);
    });

    it(`dry-run plan in ${output} mode shows no form of it`, async () => {
      const result = await run(project.dir, ['plan', 'canary', '--env', 'staging', '-p', `token=${TOKEN}`, '--output', output], { env: ENV });
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('plain: ***'); // the script, values filled in and hidden
      expectClean('plan stdout', result.stdout);
      expectClean('plan stderr', result.stderr);
    });
  }

  it('runs show and runs logs print the journal without it', async () => {
    const listed = JSON.parse((await run(project.dir, ['runs', 'list', '--output', 'json'])).stdout) as { runs: { id: string; dryRun: boolean }[] };
    const id = listed.runs.find((r) => !r.dryRun)!.id;
    for (const args of [['runs', 'show', id], ['runs', 'logs', id], ['runs', 'logs', id, '--output', 'json'], ['runs', 'list', '--output', 'json']]) {
      const result = await run(project.dir, args);
      expect(result.code, args.join(' ')).toBe(0);
      expectClean(args.join(' '), result.stdout + result.stderr);
    }
    const logs = await run(project.dir, ['runs', 'logs', id]);
    expect(logs.stdout).toContain('plain: ***');
  });

  it('a missing secret stops the run before anything runs, naming the variable (exit 2)', async () => {
    const result = await run(project.dir, ['run', 'canary', '--env', 'staging', '-p', `token=${TOKEN}`], { env: { CANARY_SECRET: undefined } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('`canary`: environment variable `CANARY_SECRET` is not set');
  });
});
