import type { Answer, Choice, Prompter } from './prompter';

/**
 * Questions through @inquirer/prompts, imported on the first question only. Ctrl-C / Esc at a
 * prompt is a `cancelled` answer, not a crash. `before` runs before each question so a live
 * renderer can stop drawing while the person types.
 */
export function interactivePrompter(hooks: { before?: () => void; after?: () => void } = {}): Prompter {
  const ask = async <T>(question: (prompts: typeof import('@inquirer/prompts')) => Promise<T>, signal?: AbortSignal): Promise<Answer<T>> => {
    // A run stopped by SIGTERM (or a Ctrl-C sent from elsewhere) must not sit at a prompt.
    if (signal?.aborted) return { type: 'cancelled' };
    const prompts = await import('@inquirer/prompts');
    hooks.before?.();
    try {
      return { type: 'answered', value: await question(prompts) };
    } catch (error) {
      if (error instanceof Error && (error.name === 'ExitPromptError' || error.name === 'AbortPromptError' || error.name === 'CancelPromptError')) {
        return { type: 'cancelled' };
      }
      throw error;
    } finally {
      hooks.after?.();
    }
  };
  return {
    interactive: true,
    confirm: (message, options) => ask((p) => p.confirm({ message, default: options?.default ?? false }, context(options?.signal)), options?.signal),
    input: (message, options) =>
      ask(
        (p) =>
          options?.secret
            ? p.password({ message, mask: '*', ...(options.validate ? { validate: options.validate } : {}) }, context(options.signal))
            : p.input({ message, ...(options?.default !== undefined ? { default: options.default } : {}), ...(options?.validate ? { validate: options.validate } : {}) }, context(options?.signal)),
        options?.signal,
      ),
    select: <T>(message: string, choices: readonly Choice<T>[], options?: { readonly signal?: AbortSignal }) =>
      ask(
        (p) => p.select<T>({ message, choices: choices.map((c) => ({ value: c.value, name: c.name, ...(c.description ? { description: c.description } : {}) })) }, context(options?.signal)),
        options?.signal,
      ),
  };
}

/** The @inquirer/prompts context: an abort signal closes the prompt with an AbortPromptError. */
function context(signal: AbortSignal | undefined): { signal: AbortSignal } | undefined {
  return signal ? { signal } : undefined;
}
