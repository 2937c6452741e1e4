import type { Answer, Choice, Prompter } from './prompter';

/**
 * Questions through @inquirer/prompts, imported on the first question only. Ctrl-C / Esc at a
 * prompt is a `cancelled` answer, not a crash. `before` runs before each question so a live
 * renderer can stop drawing while the person types.
 */
export function interactivePrompter(hooks: { before?: () => void; after?: () => void } = {}): Prompter {
  const ask = async <T>(question: (prompts: typeof import('@inquirer/prompts')) => Promise<T>): Promise<Answer<T>> => {
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
    confirm: (message, options) => ask((p) => p.confirm({ message, default: options?.default ?? false })),
    input: (message, options) =>
      ask((p) =>
        options?.secret
          ? p.password({ message, mask: '*', ...(options.validate ? { validate: options.validate } : {}) })
          : p.input({ message, ...(options?.default !== undefined ? { default: options.default } : {}), ...(options?.validate ? { validate: options.validate } : {}) }),
      ),
    select: <T>(message: string, choices: readonly Choice<T>[]) =>
      ask((p) => p.select<T>({ message, choices: choices.map((c) => ({ value: c.value, name: c.name, ...(c.description ? { description: c.description } : {}) })) })),
  };
}
