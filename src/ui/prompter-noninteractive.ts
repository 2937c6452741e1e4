import type { Prompter } from './prompter';

/** No terminal (or CI): every question answers "no-terminal"; callers say which flag to pass. */
export const nonInteractivePrompter: Prompter = {
  interactive: false,
  confirm: async () => ({ type: 'no-terminal' }),
  input: async () => ({ type: 'no-terminal' }),
  select: async () => ({ type: 'no-terminal' }),
};
