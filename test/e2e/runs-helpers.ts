import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunEvent } from '../../src/engine/events';
import type { RunRecord } from '../../src/state/store';
import { BIN, ROOT, tempProject, type RunOptions, type RunResult } from './helpers';

/**
 * The launcher under test: `bin/opsctl`, or `OPSCTL_TEST_BIN` (a launcher of a private build,
 * so a developer's tests do not race others rebuilding the shared dist/).
 */
const LAUNCHER = process.env.OPSCTL_TEST_BIN ?? BIN;

/** Environment of the state e2e tests: no terminal, CI, a known user, a short kill grace. */
export const TEST_ENV = { CI: 'true', GITHUB_ACTIONS: undefined, OPSCTL_USER: 'tester@example.com', OPSCTL_KILL_GRACE_MS: '1500' } as const;

/** Runs opsctl to its end in `dir` and collects exit code and output (killed after 60 s). */
export async function run(dir: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const started = start(dir, args, options.env ?? {}, options.stdin);
  const { code, signal } = await started.exited;
  return { code, signal, stdout: started.stdout(), stderr: started.stderr() };
}

/** A project folder with opsctl.yaml (a `staging` environment) and the given runbooks. */
export function stateProject(runbooks: Readonly<Record<string, string>>): { dir: string; cleanup: () => void } {
  const files: Record<string, string> = { 'opsctl.yaml': 'runbooks: [./runbooks]\nenvironments:\n  staging: {}\n' };
  for (const [name, text] of Object.entries(runbooks)) files[`runbooks/${name}.yaml`] = text;
  return tempProject(files);
}

export interface Started {
  readonly child: ChildProcess;
  readonly pid: number;
  stdout(): string;
  stderr(): string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `bin/opsctl ARGS` in the background, for tests that signal or kill it. */
export function start(dir: string, args: readonly string[], env: Readonly<Record<string, string | undefined>> = {}, stdin = ''): Started {
  if (LAUNCHER === BIN && !existsSync(join(ROOT, 'dist/opsctl.cjs'))) throw new Error('dist/opsctl.cjs is missing: run `npm run build` before the e2e tests');
  const merged: Record<string, string> = {};
  for (const [key, value] of Object.entries({ ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, ...TEST_ENV, ...env })) {
    if (value !== undefined) merged[key] = value;
  }
  const child = spawn(process.execPath, [LAUNCHER, ...args], { cwd: dir, env: merged, stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdin?.on('error', () => undefined);
  child.stdin?.end(stdin);
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stderr?.setEncoding('utf8').on('data', (c: string) => (err += c));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  const safety = setTimeout(() => child.kill('SIGKILL'), 60_000);
  void exited.then(() => clearTimeout(safety));
  if (child.pid === undefined) throw new Error('opsctl did not start');
  return { child, pid: child.pid, stdout: () => out, stderr: () => err, exited };
}

/** Polls until `condition` holds; fails after `timeoutMs` with `what` in the message. */
export async function waitFor(what: string, condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function readPid(dir: string, file: string): number {
  return Number(readFileSync(join(dir, file), 'utf8').trim());
}

/** True while the process exists and is not a zombie waiting to be reaped (it runs nothing any more). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false; // gone between the two checks (or no /proc: kill -0 said it exists)
  }
}

/** kill -9 of a process group (a step runs in its own), ignoring one that is gone. */
export function killGroup(pgid: number): void {
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    /* gone already */
  }
}

/** Lines in a counter file: how many times a step ran. */
export function count(dir: string, file: string): number {
  const path = join(dir, file);
  return existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter((l) => l !== '').length : 0;
}

export function runIds(dir: string): string[] {
  const runs = join(dir, '.opsctl', 'runs');
  return existsSync(runs) ? readdirSync(runs).filter((n) => !n.startsWith('.')).sort() : [];
}

export function record(dir: string, runId: string): RunRecord {
  return JSON.parse(readFileSync(join(dir, '.opsctl', 'runs', runId, 'run.json'), 'utf8')) as RunRecord;
}

export function journal(dir: string, runId: string): RunEvent[] {
  return readFileSync(join(dir, '.opsctl', 'runs', runId, 'events.ndjson'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as RunEvent];
      } catch {
        return [];
      }
    });
}
