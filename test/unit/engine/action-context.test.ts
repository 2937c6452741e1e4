import { describe, expect, it } from 'vitest';
import type { ActionContext, AdapterRegistry } from '../../../src/adapters/types';
import { runGraph } from '../../../src/engine/engine';
import * as expr from '../../../src/expr';
import { s } from '../../../src/runbook/schema-dsl';
import { Redactor } from '../../../src/state/redactor';
import { ManualClock, RecordingSink, config, graph, noTerminal, step, type Call } from './fakes';

/** An action that reports what it saw of the run: the guards every call must carry. */
function probeRegistry(seen: { step: string; redacted: string; cut: number | undefined }[], calls: Call[]): AdapterRegistry {
  const probe = {
    key: 'probe',
    summary: 'probe',
    schema: s.object({ fail: s.boolean() }),
    effect: () => 'write' as const,
    load: async () => ({
      plan: async () => ({ summary: 'probe' }),
      run: async (input: Record<string, unknown>, ctx: ActionContext) => {
        calls.push({ step: ctx.stepId, kind: 'probe', input, attempt: ctx.attempt, env: ctx.env });
        seen.push({ step: ctx.stepId, redacted: ctx.redact('token hunter2-secret'), cut: ctx.safeCut?.(`xxhunter2-secret${'y'.repeat(40)}`, 5) });
        return input.fail ? { type: 'failure' as const, reason: 'exit-non-zero' as const, message: 'boom' } : { type: 'success' as const, outputs: {} };
      },
    }),
  };
  return { get: (key) => (key === 'probe' ? probe : undefined), keys: () => ['probe'] };
}

describe('what an adapter sees of the run', () => {
  it('is the same for a step and for its undo: redaction and safe cuts of long lines included', async () => {
    const seen: { step: string; redacted: string; cut: number | undefined }[] = [];
    const calls: Call[] = [];
    const redactor = new Redactor();
    redactor.add('hunter2-secret');
    const g = graph(
      [step('change', 'probe', {}, { undo: { kind: 'probe', input: {}, range: step('x', 'probe', {}).range } }), step('boom', 'probe', { fail: true })],
      { onFailure: 'rollback' },
    );
    const clock = new ManualClock();
    const result = await clock.run(
      runGraph({ graph: g, registry: probeRegistry(seen, calls), prompter: noTerminal, sink: new RecordingSink(), clock, redactor, expr, runId: 'r', user: 'u', params: {}, config }),
    );
    expect(result.status).toBe('failed');
    // change, boom, then the undo of change.
    expect(seen).toHaveLength(3);
    for (const call of seen) {
      expect(call.redacted).toBe('token ***');
      // The cut moves back to where the secret starts instead of splitting it.
      expect(call.cut).toBe(2);
    }
  });
});
