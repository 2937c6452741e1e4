import { spawn, type ChildProcess } from 'node:child_process';
import { HeadBuffer, LineSplitter, TailBuffer } from './buffers';

/**
 * Runs one program in its own process group, so a timeout or Ctrl-C reaches every process the
 * step started (`kill(-pgid)`), not only the shell. `node:child_process` is used directly rather
 * than execa: the group handling is the point of this file, and it costs no import time.
 */
export interface ProcessOptions {
  readonly file: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  readonly stdin?: string;
  readonly signal: AbortSignal;
  /** After SIGTERM, how long the group has before SIGKILL. */
  readonly graceMs: number;
  readonly onLine: (stream: 'stdout' | 'stderr', line: string) => void;
  /** Where a line too long to pass on whole may be cut without splitting a secret. */
  readonly safeCut?: (text: string, at: number) => number;
  /** Bytes of stdout kept from the start, for output selectors. */
  readonly captureBytes: number;
  /** Bytes kept from the end of each stream, for failure messages. */
  readonly tailBytes: number;
}

export type ProcessResult =
  | {
      readonly type: 'exited';
      /** The exit code, or 128 + signal number when a signal ended the process. */
      readonly exitCode: number;
      readonly signalName?: NodeJS.Signals;
      /** True when `signal` aborted while the process ran (it was then sent SIGTERM, later SIGKILL). */
      readonly aborted: boolean;
      readonly stdout: string;
      readonly stdoutTruncated: boolean;
      readonly stdoutTail: string;
      readonly stderrTail: string;
    }
  | { readonly type: 'spawn-error'; readonly code: string; readonly message: string }
  | { readonly type: 'aborted-before-start' };

/** After the main process exits, how long its leftovers may keep stdout/stderr open. */
export const LINGER_MS = 300;

/** Process groups of steps still running (or leftovers being killed), for the exit handler. */
const liveGroups = new Set<number>();
let exitHandlerInstalled = false;

/** Sends a signal to every process group still alive; the engine's second Ctrl-C uses SIGKILL. */
export function killAllProcessGroups(signal: NodeJS.Signals = 'SIGKILL'): void {
  for (const pgid of liveGroups) killGroup(pgid, signal);
}

export function liveProcessGroups(): readonly number[] {
  return [...liveGroups];
}

function killGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false; // ESRCH: the whole group is gone already
  }
}

function groupAlive(pgid: number): boolean {
  return killGroup(pgid, 0);
}

export function runProcess(options: ProcessOptions): Promise<ProcessResult> {
  if (options.signal.aborted) return Promise.resolve({ type: 'aborted-before-start' });
  if (!exitHandlerInstalled) {
    exitHandlerInstalled = true;
    // No process outlives opsctl: whatever is left when Node exits is killed at once.
    process.once('exit', () => killAllProcessGroups('SIGKILL'));
  }

  return new Promise((resolve) => {
    const stdoutHead = new HeadBuffer(options.captureBytes);
    const stdoutTail = new TailBuffer(options.tailBytes);
    const stderrTail = new TailBuffer(options.tailBytes);
    const stdoutLines = new LineSplitter((line) => options.onLine('stdout', line), undefined, options.safeCut);
    const stderrLines = new LineSplitter((line) => options.onLine('stderr', line), undefined, options.safeCut);

    let child: ChildProcess;
    try {
      child = spawn(options.file, [...options.args], {
        cwd: options.cwd,
        env: options.env,
        detached: true,
        // Without input the program reads end-of-file at once, from /dev/null: as an empty pipe
        // would give, without a third socket pair and stream per step.
        stdio: [options.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      });
    } catch (error) {
      resolve(spawnError(error, options.file));
      return;
    }

    const pgid = child.pid;
    let aborted = false;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    let lingerTimer: NodeJS.Timeout | undefined;
    let finished = false;
    let reaping = false;

    const terminate = () => {
      if (pgid === undefined) return;
      killGroup(pgid, 'SIGTERM');
      killTimer ??= setTimeout(() => killGroup(pgid, 'SIGKILL'), options.graceMs);
    };
    const onAbort = () => {
      aborted = true;
      terminate();
    };

    const finish = () => {
      if (finished) return;
      finished = true;
      options.signal.removeEventListener('abort', onAbort);
      clearTimeout(lingerTimer);
      stdoutLines.end();
      stderrLines.end();
      if (pgid !== undefined) {
        clearTimeout(killTimer);
        // Leftovers of the step (background jobs) do not outlive it.
        if (!reaping) {
          if (groupAlive(pgid)) reap(pgid, options.graceMs);
          else liveGroups.delete(pgid);
        }
      }
      const code = exit?.code ?? null;
      const signalName = exit?.signal ?? undefined;
      resolve({
        type: 'exited',
        exitCode: code ?? 128 + signalNumber(signalName),
        ...(signalName ? { signalName } : {}),
        aborted,
        stdout: stdoutHead.text(),
        stdoutTruncated: stdoutHead.truncated,
        stdoutTail: stdoutTail.text(),
        stderrTail: stderrTail.text(),
      });
    };

    child.on('error', (error) => {
      if (exit || finished) return;
      finished = true;
      options.signal.removeEventListener('abort', onAbort);
      if (pgid !== undefined) liveGroups.delete(pgid);
      resolve(spawnError(error, options.file));
    });
    if (pgid === undefined) return; // spawn failed; 'error' follows

    liveGroups.add(pgid);
    options.signal.addEventListener('abort', onAbort, { once: true });

    child.stdout?.on('data', (chunk: Buffer) => {
      stdoutHead.push(chunk);
      stdoutTail.push(chunk);
      stdoutLines.push(chunk);
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderrTail.push(chunk);
      stderrLines.push(chunk);
    });
    child.stdin?.on('error', () => undefined); // EPIPE when the program does not read its input
    child.stdin?.end(options.stdin);

    child.on('exit', (code, signal) => {
      exit = { code, signal };
      // A background job may hold the pipes open after the script ended. Its group is told to
      // stop; the pipes then close by themselves. Should a process that left the group (setsid)
      // still hold them, stop reading a little later.
      lingerTimer = setTimeout(() => {
        let wait = LINGER_MS;
        if (pgid !== undefined && groupAlive(pgid)) {
          reaping = true;
          reap(pgid, options.graceMs);
          wait += options.graceMs;
        }
        lingerTimer = setTimeout(() => {
          child.stdout?.destroy();
          child.stderr?.destroy();
          finish();
        }, wait);
      }, LINGER_MS);
    });
    child.on('close', (code, signal) => {
      exit ??= { code, signal };
      finish();
    });
  });
}

/** SIGTERM to what is left of a group, SIGKILL once `graceMs` passed; forgotten once it is gone. */
function reap(pgid: number, graceMs: number): void {
  killGroup(pgid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  const poll = setInterval(() => {
    if (!groupAlive(pgid)) {
      clearInterval(poll);
      liveGroups.delete(pgid);
    } else if (Date.now() >= deadline) {
      killGroup(pgid, 'SIGKILL');
      clearInterval(poll);
      liveGroups.delete(pgid);
    }
  }, 50);
  poll.unref();
}

function spawnError(error: unknown, file: string): ProcessResult {
  const code = typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : 'spawn-error';
  const message =
    code === 'ENOENT'
      ? `\`${file}\` was not found: check the program name and PATH`
      : code === 'EACCES'
        ? `\`${file}\` is not executable (permission denied)`
        : code === 'E2BIG'
          ? `could not start \`${file}\`: its environment or arguments are too large for the system (E2BIG); one value may be at most 128 KiB — pass less (select part of an output with json:/regex:) or go through a file`
          : `could not start \`${file}\`: ${error instanceof Error ? error.message : String(error)}`;
  return { type: 'spawn-error', code, message };
}

const SIGNAL_NUMBERS: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGABRT: 6, SIGKILL: 9, SIGSEGV: 11, SIGPIPE: 13, SIGTERM: 15 };

function signalNumber(signal: NodeJS.Signals | undefined): number {
  return signal ? (SIGNAL_NUMBERS[signal] ?? 0) : 0;
}
