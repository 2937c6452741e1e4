import type { ActionImpl } from '../types';
import { InputReader } from '../core/input';
import { failure, success } from '../core/outcome';
import { unreachable } from '../../util/unreachable';

function parse(input: Readonly<Record<string, unknown>>) {
  const r = new InputReader('confirm', input);
  return r.done({ message: r.requiredString('message') });
}

/**
 * An approval gate. The engine normally passes gates before a step starts (prompt, `--yes`,
 * `--approve STEP`) and hands the result in as `ctx.approval`; this asks only when nobody has.
 * It succeeds only with an approval or an answered "yes".
 */
const impl: ActionImpl = {
  async plan(input, ctx) {
    const parsed = parse(input);
    return { summary: parsed.ok ? `ask for confirmation: ${ctx.redact(parsed.value.message)}` : `confirm (invalid: ${parsed.message})` };
  },

  async run(input, ctx) {
    const parsed = parse(input);
    if (!parsed.ok) return failure('invalid-input', parsed.message);
    if (ctx.approval) return success({ approved: true, by: ctx.approval.by, via: ctx.approval.via });
    const answer = await ctx.prompter.confirm(parsed.value.message, { default: false, signal: ctx.signal });
    switch (answer.type) {
      case 'answered':
        return answer.value
          ? success({ approved: true, via: 'prompt' })
          : failure('declined', `not confirmed: the answer to "${parsed.value.message}" was no`, { errorKind: 'declined' });
      case 'no-terminal':
        return failure('declined', `step \`${ctx.stepId}\` needs a confirmation and there is no terminal to ask: pass --approve ${ctx.stepId} (or --yes) to approve it`, {
          errorKind: 'no-terminal',
        });
      case 'cancelled':
        return failure('declined', `the confirmation of step \`${ctx.stepId}\` was cancelled at the prompt`, { errorKind: 'prompt-cancelled' });
      default:
        return unreachable(answer);
    }
  },
};

export const { plan, run } = impl;
