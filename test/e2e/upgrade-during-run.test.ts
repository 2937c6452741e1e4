import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT } from './helpers';
import { waitFor } from './runs-helpers';

// F23: a run that is live while opsctl is rebuilt or upgraded must not die at a lazy import of
// code that is gone. The bundle is one file, compiled whole at start-up: removing dist/ under a
// running opsctl (what an upgrade does) must not matter to it.
let install: string | undefined;
afterEach(() => {
  if (install) rmSync(install, { recursive: true, force: true });
  install = undefined;
});

describe('an upgrade while a run is live', () => {
  it('does not stop the run: its code is all loaded before the first step', async () => {
    install = mkdtempSync(join(tmpdir(), 'opsctl-install-'));
    cpSync(join(ROOT, 'bin'), join(install, 'bin'), { recursive: true });
    mkdirSync(join(install, 'dist'));
    cpSync(join(ROOT, 'dist/opsctl.cjs'), join(install, 'dist/opsctl.cjs'));
    cpSync(join(ROOT, 'package.json'), join(install, 'package.json'));
    for (const shared of ['node_modules', 'runbooks', 'templates', 'schema']) symlinkSync(join(ROOT, shared), join(install, shared));
    const project = join(install, 'project');
    mkdirSync(project);
    writeFileSync(join(project, 'opsctl.yaml'), 'state: { backend: file }\n');
    writeFileSync(
      join(project, 'live.yaml'),
      [
        'apiVersion: opsctl/v1',
        'kind: Runbook',
        'name: live',
        'title: A run that outlives its install',
        'lock: false',
        'steps:',
        '  - { id: wait, shell: "touch started && sleep 1" }',
        '  - { id: check, http: { url: "http://127.0.0.1:1/", expect: { status: 200 } }, on_failure: continue }',
        '  - { id: note, log: "after the upgrade" }',
        '  - { id: last, shell: "echo finished", needs: [note] }',
        '',
      ].join('\n'),
    );
    const child = spawn(process.execPath, [join(install, 'bin/opsctl'), 'run', './live.yaml', '--yes', '--output', 'plain'], {
      cwd: project,
      env: { ...process.env, CI: 'true', NO_COLOR: '1', OPSCTL_CODE_CACHE: 'off' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (out += c));
    let ended = false;
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    void exited.then(() => (ended = true));
    await waitFor('the first step', () => ended || existsSync(join(project, 'started')), 15_000);
    expect(ended, out).toBe(false);
    rmSync(join(install, 'dist'), { recursive: true, force: true });
    const code = await exited;
    expect(out).not.toMatch(/internal error|Cannot find module/);
    expect(out).toContain('finished');
    expect(out).toMatch(/note\s+succeeded/);
    expect(code).toBe(0);
  });
});
