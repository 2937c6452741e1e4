import type { ActionContext, ActionImpl, ActionOutcome } from '../types';
import { InputReader } from '../core/input';
import { failure, success } from '../core/outcome';
import { unreachable } from '../../util/unreachable';

type Decision = 'done' | 'skip' | 'fail';

function parse(input: Readonly<Record<string, unknown>>) {
  const r = new InputReader('manual', input);
  const message = r.requiredString('message');
  const evidence = r.boolean('evidence') ?? false;
  return r.done({ message, evidence });
}

/**
 * A task a person does by hand. They mark it done, skip or fail, with a note kept as evidence
 * (output `note`; `decision` says which). Without a terminal nobody can do it, unless the engine
 * was told with `--approve STEP` that it is done.
 */
const impl: ActionImpl = {
  async plan(input, ctx) {
    const parsed = parse(input);
    if (!parsed.ok) return { summary: `manual (invalid: ${parsed.message})` };
    return { summary: `manual task: ${ctx.redact(parsed.value.message)}`, details: parsed.value.evidence ? ['a note (evidence) is required'] : [] };
  },

  async run(input, ctx) {
    const parsed = parse(input);
    if (!parsed.ok) return failure('invalid-input', parsed.message);
    const { message, evidence } = parsed.value;
    if (ctx.approval?.via === 'approve') {
      return success({ decision: 'done', note: `marked done with --approve ${ctx.stepId} by ${ctx.approval.by}`, by: ctx.approval.by });
    }
    if (!ctx.prompter.interactive) return noTerminal(ctx);

    const choice = await ctx.prompter.select<Decision>(message, [
      { value: 'done', name: 'Done', description: 'I did it' },
      { value: 'skip', name: 'Skip', description: 'Not needed this time; the run goes on' },
      { value: 'fail', name: 'Fail', description: 'It did not work; the step fails' },
    ], { signal: ctx.signal });
    if (choice.type !== 'answered') return unanswered(choice.type, ctx);
    const decision = choice.value;

    const noteRequired = decision === 'fail' || decision === 'skip' || evidence;
    const note = await ctx.prompter.input(noteRequired ? 'Note (required):' : 'Note (optional):', {
      validate: (value) => (noteRequired && value.trim() === '' ? 'A note is required: say what you saw or why.' : true),
      signal: ctx.signal,
    });
    if (note.type !== 'answered') return unanswered(note.type, ctx);
    const text = note.value.trim();

    switch (decision) {
      case 'done':
        return success({ decision, note: text });
      case 'skip':
        return success({ decision, note: text }, { skipped: true });
      case 'fail':
        return failure('manual-failed', `manual step \`${ctx.stepId}\` was marked failed: ${text}`, { outputs: { decision, note: text } });
      default:
        return unreachable(decision);
    }
  },
};

function noTerminal(ctx: ActionContext): ActionOutcome {
  return failure(
    'manual-failed',
    `manual step \`${ctx.stepId}\` needs a person and there is no terminal: run opsctl in a terminal, or pass --approve ${ctx.stepId} once the task is done`,
    { errorKind: 'no-terminal' },
  );
}

function unanswered(type: 'no-terminal' | 'cancelled', ctx: ActionContext): ActionOutcome {
  switch (type) {
    case 'no-terminal':
      return noTerminal(ctx);
    case 'cancelled':
      return failure('declined', `manual step \`${ctx.stepId}\` was cancelled at the prompt`, { errorKind: 'prompt-cancelled' });
    default:
      return unreachable(type);
  }
}

export const { plan, run } = impl;
