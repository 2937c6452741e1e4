import type { ActionImpl } from '../types';
import { InputReader } from '../core/input';
import { failure } from '../core/outcome';

function parse(input: Readonly<Record<string, unknown>>) {
  const r = new InputReader('runbook', input);
  const name = r.requiredString('name');
  const params = r.record('params') ?? {};
  return r.done({ name, params });
}

function describeParams(params: Readonly<Record<string, unknown>>): string {
  const entries = Object.entries(params);
  if (entries.length === 0) return '';
  return ` with ${entries.map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`).join(', ')}`;
}

/** Calls another runbook through the engine, which nests its steps' events under this step. */
const impl: ActionImpl = {
  async plan(input, ctx) {
    const parsed = parse(input);
    if (!parsed.ok) return { summary: `runbook (invalid: ${parsed.message})` };
    return { summary: ctx.redact(`run runbook \`${parsed.value.name}\`${describeParams(parsed.value.params)}`) };
  },

  async run(input, ctx) {
    const parsed = parse(input);
    if (!parsed.ok) return failure('invalid-input', parsed.message);
    // The called run's outcome passes through unchanged: a declined gate inside it is still a
    // declined gate (exit 3), a timeout still a timeout.
    return ctx.runRunbook(parsed.value.name, parsed.value.params);
  },
};

export const { plan, run } = impl;
