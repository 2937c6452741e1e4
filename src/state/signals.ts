/**
 * Ctrl-C, SIGTERM and SIGHUP during a run (DESIGN.md §3 Signals). The first one aborts the run's signal:
 * the engine starts nothing new, running steps get SIGTERM and, after the grace period, SIGKILL;
 * `finally` steps still run and the run ends `cancelled` (exit 130). A second Ctrl-C exits at
 * once; the shell adapter's exit hook SIGKILLs every step's process group on the way out.
 */
export interface InterruptHandlers {
  /** The signal that cancelled the run, if one came. */
  readonly received: NodeJS.Signals | undefined;
  dispose(): void;
}

export interface InterruptOptions {
  readonly controller: AbortController;
  readonly write: (line: string) => void;
  readonly graceMs?: number;
  /** Exits the process; replaced in tests. */
  readonly exit?: (code: number) => void;
  readonly target?: Pick<NodeJS.Process, 'on' | 'off'>;
}

export function installInterruptHandlers(options: InterruptOptions): InterruptHandlers {
  const target = options.target ?? process;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let received: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (received === undefined) {
      received = signal;
      const grace = options.graceMs !== undefined ? ` (they are killed after ${Math.round(options.graceMs / 1000)}s)` : '';
      options.write(`\nreceived ${signal}: stopping — no new steps start, running steps are asked to stop${grace}, then \`finally\` steps run. Press Ctrl-C again to kill everything now.\n`);
      options.controller.abort(new InterruptedError(signal));
      return;
    }
    options.write(`\nreceived ${signal} again: killing every step now.\n`);
    exit(130);
  };
  target.on('SIGINT', onSignal);
  target.on('SIGTERM', onSignal);
  // A closed terminal (an SSH session that dropped) must not leave steps running unsupervised.
  target.on('SIGHUP', onSignal);
  return {
    get received() {
      return received;
    },
    dispose() {
      target.off('SIGINT', onSignal);
      target.off('SIGTERM', onSignal);
      target.off('SIGHUP', onSignal);
    },
  };
}

export class InterruptedError extends Error {
  constructor(readonly signal: NodeJS.Signals) {
    super(`interrupted by ${signal}`);
    this.name = 'InterruptedError';
  }
}
