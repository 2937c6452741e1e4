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
  /**
   * `signal`: the run's abort signal. When it aborts (SIGTERM, an external SIGINT) an open prompt
   * closes with a `cancelled` answer instead of waiting for a person who may not be there.
   */
  confirm(message: string, options?: { readonly default?: boolean; readonly signal?: AbortSignal }): Promise<Answer<boolean>>;
  input(
    message: string,
    options?: { readonly default?: string; readonly secret?: boolean; readonly validate?: (value: string) => string | true; readonly signal?: AbortSignal },
  ): Promise<Answer<string>>;
  select<T>(message: string, choices: readonly Choice<T>[], options?: { readonly signal?: AbortSignal }): Promise<Answer<T>>;
}
