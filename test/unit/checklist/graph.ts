import type { Step, StepGraph, Runbook } from '../../../src/runbook/model';

const range = { file: 'checklist.yaml', start: { line: 1, col: 1 }, end: { line: 1, col: 1 } } as unknown as Step['range'];

/** A compiled graph of the given steps, in list order, for the pure checklist functions. */
export function graphOf(steps: { id: string; title?: string; kind: string; input?: Record<string, unknown> }[]): StepGraph {
  const built: Step[] = steps.map((s) => ({
    id: s.id,
    ...(s.title ? { title: s.title } : {}),
    phase: 'main',
    action: { kind: s.kind, input: s.input ?? {}, range },
    needs: [],
    retry: { attempts: 1, delayMs: 0, backoff: 1, jitter: 0, on: { any: false, exitCodes: [], timeout: false, errorKinds: [] } },
    onFailure: 'continue',
    idempotent: false,
    readonly: true,
    outputs: {},
    env: {},
    range,
  }));
  const runbook = { name: 'daily', title: 'Daily', steps: built, finally: [] } as unknown as Runbook;
  return {
    runbook,
    order: built.map((s) => s.id),
    steps: new Map(built.map((s) => [s.id, s])),
    dependents: new Map(),
    ancestors: new Map(),
    finally: [],
  };
}
