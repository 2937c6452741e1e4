import { isatty } from 'node:tty';
import type { Prompter } from './prompter';
import { interactivePrompter } from './prompter-interactive';
import { nonInteractivePrompter } from './prompter-noninteractive';

export interface Terminal {
  readonly stdinIsTTY: boolean;
  readonly stdoutIsTTY: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
}

export function currentTerminal(): Terminal {
  // isatty(0), not process.stdin.isTTY: reading that getter builds a stdin stream (~3 ms).
  return { stdinIsTTY: isatty(0), stdoutIsTTY: Boolean(process.stdout.isTTY), env: process.env };
}

/** Prompts only when stdin and stdout are terminals and `CI` is unset (DESIGN.md §3). */
export function canPrompt(terminal: Terminal): boolean {
  const ci = terminal.env.CI;
  return terminal.stdinIsTTY && terminal.stdoutIsTTY && (ci === undefined || ci === '' || ci === 'false' || ci === '0');
}

export function choosePrompter(terminal: Terminal, hooks?: { before?: () => void; after?: () => void }): Prompter {
  return canPrompt(terminal) ? interactivePrompter(hooks) : nonInteractivePrompter;
}

export type OutputMode = 'pretty' | 'plain' | 'json';

/** `--output`, else pretty on a terminal, plain elsewhere (CI, pipes, files). */
export function chooseOutput(requested: string | undefined, terminal: Terminal): OutputMode {
  if (requested === 'pretty' || requested === 'plain' || requested === 'json') return requested;
  return terminal.stdoutIsTTY && !terminal.env.CI ? 'pretty' : 'plain';
}
