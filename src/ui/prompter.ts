/**
 * The prompter port. The engine and commands ask questions only through it, so tests script the
 * answers and CI never hangs. Outcomes are data: "there is no terminal" and "the person said no"
 * are different answers, and callers map them to different messages.
 */
export type Answer<T> =
  | { readonly type: 'answered'; readonly value: T }
  /** No terminal (or CI): nobody can be asked. */
  | { readonly type: 'no-terminal' }
  /** The person pressed Ctrl-C / Esc at the prompt. */
  | { readonly type: 'cancelled' };

export interface Choice<T> {
  readonly value: T;
  readonly name: string;
  readonly description?: string;
}

export interface Prompter {
  /** True when questions reach a person (stdin and stdout are terminals and CI is unset). */
  readonly interactive: boolean;
  confirm(message: string, options?: { readonly default?: boolean }): Promise<Answer<boolean>>;
  input(
    message: string,
    options?: { readonly default?: string; readonly secret?: boolean; readonly validate?: (value: string) => string | true },
  ): Promise<Answer<string>>;
  select<T>(message: string, choices: readonly Choice<T>[]): Promise<Answer<T>>;
}
