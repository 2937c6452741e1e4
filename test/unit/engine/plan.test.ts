import { describe, expect, it } from 'vitest';
import { approveErrors, planRun, unapprovedGates } from '../../../src/engine/plan';
import { ManualClock, fakeRegistry, graph, needs, step } from './fakes';

const registry = fakeRegistry([], new ManualClock());
const g = graph(
  [
    step('check', 'fake', { write: false }, { readonly: true }),
    step('snapshot', 'fake', {}),
    step('migrate', 'fake', {}, { confirm: 'Migrate ${{ environment.name }}?', when: 'params.migrate' }),
    step('approve', 'confirm', { message: 'Shift traffic?' }),
    step('shift', 'unknown.kind', {}),
    needs(step('tell', 'fake', {}), []),
  ],
  { finally: [step('summary', 'fake', {})] },
);

describe('planRun', () => {
  it('lists every step with its effect and every gate up front (snapshot)', () => {
    expect(planRun(g, registry)).toMatchInlineSnapshot(`
      {
        "errors": [],
        "gates": [
          {
            "message": "Migrate \${{ environment.name }}?",
            "source": "confirm-field",
            "step": "migrate",
          },
          {
            "message": "Shift traffic?",
            "source": "confirm-step",
            "step": "approve",
          },
        ],
        "steps": [
          {
            "conditional": false,
            "disposition": {
              "type": "run",
            },
            "effect": "read",
            "id": "check",
            "kind": "fake",
            "phase": "main",
          },
          {
            "conditional": false,
            "disposition": {
              "type": "run",
            },
            "effect": "write",
            "id": "snapshot",
            "kind": "fake",
            "phase": "main",
          },
          {
            "conditional": true,
            "disposition": {
              "type": "run",
            },
            "effect": "write",
            "id": "migrate",
            "kind": "fake",
            "phase": "main",
          },
          {
            "conditional": false,
            "disposition": {
              "type": "run",
            },
            "effect": "read",
            "id": "approve",
            "kind": "confirm",
            "phase": "main",
          },
          {
            "conditional": false,
            "disposition": {
              "type": "run",
            },
            "effect": "write",
            "id": "shift",
            "kind": "unknown.kind",
            "phase": "main",
          },
          {
            "conditional": false,
            "disposition": {
              "type": "run",
            },
            "effect": "write",
            "id": "tell",
            "kind": "fake",
            "phase": "main",
          },
          {
            "conditional": false,
            "disposition": {
              "type": "run",
            },
            "effect": "write",
            "id": "summary",
            "kind": "fake",
            "phase": "finally",
          },
        ],
      }
    `);
  });

  it('--only, --skip and --from leave steps out with a reason; gates of left-out steps do not count', () => {
    const plan = planRun(g, registry, { selection: { from: 'approve', skip: ['shift'] } });
    const reasons = Object.fromEntries(plan.steps.map((s) => [s.id, s.disposition.type === 'deselected' ? s.disposition.reason : s.disposition.type]));
    expect(reasons).toEqual({
      check: 'before --from approve',
      snapshot: 'before --from approve',
      migrate: 'before --from approve',
      approve: 'run',
      shift: 'skipped by --skip',
      tell: 'run',
      summary: 'run',
    });
    expect(plan.gates.map((gate) => gate.step)).toEqual(['approve']);
    const only = planRun(g, registry, { selection: { only: ['tell'] } });
    expect(only.steps.filter((s) => s.disposition.type === 'run').map((s) => s.id)).toEqual(['tell', 'summary']);
  });

  it('names unknown steps in selections with a suggestion', () => {
    expect(planRun(g, registry, { selection: { only: ['snapshto'], from: 'summary' } }).errors).toEqual([
      '--only snapshto: runbook `test` has no step `snapshto` (did you mean `snapshot`?)',
      '--from summary: `summary` is a finally step; --from takes a main step',
    ]);
  });

  it('restores completed steps and gates interrupted ones that are not idempotent', () => {
    const plan = planRun(g, registry, { completed: new Set(['check', 'snapshot']), interrupted: ['migrate'] });
    expect(plan.steps.slice(0, 2).map((s) => s.disposition.type)).toEqual(['restored', 'restored']);
    expect(plan.gates.map((gate) => [gate.step, gate.source])).toEqual([
      ['migrate', 'interrupted'],
      ['migrate', 'confirm-field'],
      ['approve', 'confirm-step'],
    ]);
    expect(planRun(g, registry, { interrupted: ['migrate'], rerunInterrupted: true }).gates.map((gate) => gate.source)).toEqual(['confirm-field', 'confirm-step']);
  });

  it('unapprovedGates: --yes passes all, --approve only the named one; approving a step without a gate is an error', () => {
    const plan = planRun(g, registry);
    expect(unapprovedGates(plan, { yes: true, approve: [] })).toEqual([]);
    expect(unapprovedGates(plan, { yes: false, approve: ['migrate'] }).map((gate) => gate.step)).toEqual(['approve']);
    expect(approveErrors(plan, ['snapshot', 'nope', 'migrate'])).toEqual([
      '--approve snapshot: step `snapshot` has no confirmation to approve',
      '--approve nope: there is no step `nope`',
    ]);
  });
});
