import type { Answer, Choice, Prompter } from './prompter';

export type ScriptedAnswer = { readonly question: RegExp | string; readonly answer: boolean | string | 'cancel' };

/**
 * For tests: answers questions from a script, in order, checking each question against what the
 * script expects. An unexpected question (or one too many) throws, so a test never hangs on a
 * prompt nobody planned.
 */
export function scriptedPrompter(script: readonly ScriptedAnswer[], interactive = true): Prompter & { readonly asked: readonly string[] } {
  const queue = [...script];
  const asked: string[] = [];
  const next = (message: string): ScriptedAnswer['answer'] => {
    asked.push(message);
    const entry = queue.shift();
    if (!entry) throw new Error(`unexpected question: ${JSON.stringify(message)}`);
    const matches = typeof entry.question === 'string' ? message.includes(entry.question) : entry.question.test(message);
    if (!matches) throw new Error(`unexpected question: ${JSON.stringify(message)} (the script expected ${String(entry.question)})`);
    return entry.answer;
  };
  const answer = <T>(value: T | 'cancel'): Answer<T> => (value === 'cancel' ? { type: 'cancelled' } : { type: 'answered', value });
  return {
    interactive,
    asked,
    async confirm(message) {
      const value = next(message);
      if (value !== 'cancel' && typeof value !== 'boolean') throw new Error(`the script answers ${JSON.stringify(message)} with a string, but it is a yes/no question`);
      return answer(value);
    },
    async input(message, options) {
      const value = next(message);
      if (value === 'cancel') return { type: 'cancelled' };
      const text = String(value);
      const verdict = options?.validate?.(text) ?? true;
      if (verdict !== true) throw new Error(`the scripted answer to ${JSON.stringify(message)} is invalid: ${verdict}`);
      return { type: 'answered', value: text };
    },
    async select<T>(message: string, choices: readonly Choice<T>[]): Promise<Answer<T>> {
      const value = next(message);
      if (value === 'cancel') return { type: 'cancelled' };
      const choice = choices.find((c) => c.name === value || String(c.value) === String(value));
      if (!choice) throw new Error(`the scripted answer ${JSON.stringify(value)} is not a choice of ${JSON.stringify(message)}`);
      return { type: 'answered', value: choice.value };
    },
  };
}
