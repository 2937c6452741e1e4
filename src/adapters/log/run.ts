import type { ActionImpl } from '../types';
import { InputReader } from '../core/input';
import { failure, success } from '../core/outcome';
import { LOG_LEVELS } from './definition';

function parse(input: Readonly<Record<string, unknown>>) {
  const r = new InputReader('log', input);
  const message = r.requiredString('message');
  const level = r.oneOf('level', LOG_LEVELS) ?? 'info';
  return r.done({ message, level });
}

/**
 * A line for the journal and the timeline. The engine journals the step's outputs; the line also
 * goes out as progress so renderers show it while the run goes on.
 */
const impl: ActionImpl = {
  async plan(input, ctx) {
    const parsed = parse(input);
    return { summary: parsed.ok ? `log ${parsed.value.level}: ${ctx.redact(parsed.value.message)}` : `log (invalid: ${parsed.message})` };
  },

  async run(input, ctx) {
    const parsed = parse(input);
    if (!parsed.ok) return failure('invalid-input', parsed.message);
    const { message, level } = parsed.value;
    ctx.progress(level === 'info' ? message : `${level}: ${message}`);
    return success({ message, level });
  },
};

export const { plan, run } = impl;
