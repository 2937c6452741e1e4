import { describe, expect, it } from 'vitest';
import { canPrompt, chooseOutput, choosePrompter } from '../../../src/ui/choose';
import { nonInteractivePrompter } from '../../../src/ui/prompter-noninteractive';
import { scriptedPrompter } from '../../../src/ui/prompter-scripted';

describe('choosing a prompter and an output', () => {
  const tty = { stdinIsTTY: true, stdoutIsTTY: true, env: {} };
  it('prompts only when stdin and stdout are terminals and CI is unset', () => {
    expect(canPrompt(tty)).toBe(true);
    expect(canPrompt({ ...tty, env: { CI: 'true' } })).toBe(false);
    expect(canPrompt({ ...tty, env: { CI: 'false' } })).toBe(true);
    expect(canPrompt({ ...tty, stdinIsTTY: false })).toBe(false);
    expect(canPrompt({ ...tty, stdoutIsTTY: false })).toBe(false);
    expect(choosePrompter({ ...tty, env: { CI: '1' } })).toBe(nonInteractivePrompter);
    expect(choosePrompter(tty).interactive).toBe(true);
  });

  it('defaults to pretty on a terminal and plain elsewhere; --output wins', () => {
    expect(chooseOutput(undefined, tty)).toBe('pretty');
    expect(chooseOutput(undefined, { ...tty, stdoutIsTTY: false })).toBe('plain');
    expect(chooseOutput(undefined, { ...tty, env: { CI: 'true' } })).toBe('plain');
    expect(chooseOutput('json', tty)).toBe('json');
  });

  it('the non-interactive prompter answers no-terminal to everything', async () => {
    expect(await nonInteractivePrompter.confirm('x?')).toEqual({ type: 'no-terminal' });
    expect(await nonInteractivePrompter.input('x?')).toEqual({ type: 'no-terminal' });
  });
});

describe('scripted prompter', () => {
  it('answers in order and fails on an unexpected question', async () => {
    const prompter = scriptedPrompter([
      { question: 'Deploy', answer: true },
      { question: /version/, answer: '1.2.3' },
      { question: 'Again', answer: 'cancel' },
    ]);
    expect(await prompter.confirm('Deploy now?')).toEqual({ type: 'answered', value: true });
    expect(await prompter.input('version?')).toEqual({ type: 'answered', value: '1.2.3' });
    expect(await prompter.confirm('Again?')).toEqual({ type: 'cancelled' });
    await expect(prompter.confirm('One more?')).rejects.toThrow('unexpected question: "One more?"');
    expect(prompter.asked).toEqual(['Deploy now?', 'version?', 'Again?', 'One more?']);
  });

  it('checks the question and runs input validation', async () => {
    await expect(scriptedPrompter([{ question: 'Deploy', answer: true }]).confirm('Delete?')).rejects.toThrow('the script expected Deploy');
    const prompter = scriptedPrompter([{ question: 'n', answer: 'abc' }]);
    await expect(prompter.input('n', { validate: (v) => (/^\d+$/.test(v) ? true : 'digits only') })).rejects.toThrow('digits only');
  });
});
