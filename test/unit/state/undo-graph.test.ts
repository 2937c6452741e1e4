import { describe, expect, it } from 'vitest';
import type { ActionDefinition, AdapterRegistry } from '../../../src/adapters/types';
import type { Step, StepGraph } from '../../../src/runbook/model';
import { buildUndoGraph } from '../../../src/state/undo-graph';

const range = { file: '/rb/x.yaml', line: 1, col: 1, offset: 0, endOffset: 1 };
const step = (id: string, patch: Partial<Step> = {}): Step =>
  ({ id, phase: 'main', action: { kind: 'fake.write', input: { name: id }, range }, needs: [], retry: { attempts: 3 }, onFailure: 'abort', idempotent: false, readonly: false, outputs: {}, env: {}, range, ...patch }) as unknown as Step;

const definition = (key: string, effect: 'read' | 'write', undo?: (input: Record<string, unknown>, facts: Record<string, unknown>) => { kind: string; input: Record<string, unknown> } | undefined) =>
  ({ key, summary: key, schema: {} as never, effect: () => effect, load: async () => ({ plan: async () => ({ summary: '' }), run: async () => ({ type: 'success', outputs: {} }), ...(undo ? { undo } : {}) }) }) as unknown as ActionDefinition;

const registry: AdapterRegistry = {
  get: (key) =>
    ({
      'fake.write': definition('fake.write', 'write', (input, facts) => (facts.previous ? { kind: 'fake.write', input: { name: input.name, value: facts.previous } } : undefined)),
      'fake.read': definition('fake.read', 'read'),
    })[key],
  keys: () => ['fake.write', 'fake.read'],
};

function graph(steps: Step[]): StepGraph {
  return {
    runbook: { name: 'x', title: 'X', steps, finally: [], onFailure: 'rollback', concurrency: 4, source: { path: '/rb/x.yaml', hash: 'h', text: '' } } as unknown as StepGraph['runbook'],
    order: steps.map((s) => s.id),
    steps: new Map(steps.map((s) => [s.id, s])),
    dependents: new Map(),
    ancestors: new Map(),
    finally: [],
  };
}

describe('buildUndoGraph', () => {
  it('restores the run’s steps, then undoes them most recent first, one after another, behind one confirmation', async () => {
    const explicit = { kind: 'fake.write', input: { name: 'undo-a ${{ steps.a.outputs.v }}' }, range };
    const g = graph([step('a', { undo: explicit }), step('check', { action: { kind: 'fake.read', input: {}, range } }), step('b', { undo: 'auto' }), step('c'), step('d', { undo: 'auto' })]);
    const completed = { a: { outputs: { v: '1' } }, check: { outputs: {} }, b: { outputs: {}, undoFacts: { previous: 'old-b' } }, c: { outputs: {} }, d: { outputs: {} } };
    const built = await buildUndoGraph(g, completed, ['a', 'check', 'b', 'c', 'd'], registry, 'RUN1');

    expect(built.undo).toEqual([{ id: 'undo-b', of: 'b' }, { id: 'undo-a', of: 'a' }]);
    expect(built.notUndone).toEqual([
      { step: 'd', why: '`fake.write` could not compute its undo from what the run recorded' },
      { step: 'c', why: 'it has no `undo`' },
    ]);
    expect(built.graph.order).toEqual(['a', 'check', 'b', 'c', 'd', 'undo-b', 'undo-a']);
    expect(Object.keys(built.restored)).toEqual(['a', 'check', 'b', 'c', 'd']);
    const undoB = built.graph.steps.get('undo-b')!;
    expect(undoB.action).toEqual({ kind: 'fake.write', input: { name: 'b', value: 'old-b' }, range });
    expect(undoB.confirm).toBe('Undo the 2 changes of run RUN1 (b, a), in this order?');
    expect(undoB.needs).toEqual([]);
    const undoA = built.graph.steps.get('undo-a')!;
    expect(undoA.action).toBe(explicit);
    expect(undoA).toMatchObject({ needs: ['undo-b'], onFailure: 'abort', retry: { attempts: 1 } });
    expect(undoA.confirm).toBeUndefined();
    expect(built.graph.runbook).toMatchObject({ title: 'Undo run RUN1: X', onFailure: 'abort', finally: [], concurrency: 1 });
    expect([...(built.graph.ancestors.get('undo-a') ?? [])]).toEqual(['undo-b']);
  });

  it('builds nothing to run when no succeeded step has an undo', async () => {
    const built = await buildUndoGraph(graph([step('a')]), { a: { outputs: {} } }, ['a'], registry, 'RUN2');
    expect(built.undo).toEqual([]);
    expect(built.notUndone).toEqual([{ step: 'a', why: 'it has no `undo`' }]);
  });
});
