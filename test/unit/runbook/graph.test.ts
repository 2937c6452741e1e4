import { describe, expect, it } from 'vitest';
import { ancestorsOf, findCycles, topologicalOrder } from '../../../src/runbook/graph';
import type { Step } from '../../../src/runbook/model';

const step = (id: string, needs: string[]) => ({ id, needs }) as unknown as Step;

describe('graph helpers', () => {
  it('orders by needs and keeps list order among ready steps', () => {
    const steps = [step('c', ['a']), step('a', []), step('b', []), step('d', ['c', 'b'])];
    expect(topologicalOrder(steps)).toEqual(['a', 'c', 'b', 'd']);
  });

  it('leaves out steps on a cycle and ignores unknown needs', () => {
    expect(topologicalOrder([step('a', ['b']), step('b', ['a']), step('c', ['zzz'])])).toEqual(['c']);
  });

  it('gives every ancestor as a read-only set', () => {
    const ancestors = ancestorsOf([step('a', []), step('b', ['a']), step('c', []), step('d', ['b', 'c']), step('e', ['d'])]);
    const e = ancestors.get('e')!;
    expect([...e]).toEqual(['a', 'b', 'c', 'd']);
    expect(e.size).toBe(4);
    expect(e.has('c')).toBe(true);
    expect(e.has('e')).toBe(false);
    expect([...ancestors.get('a')!]).toEqual([]);
  });

  it('handles a long chain without deep recursion', () => {
    const steps = Array.from({ length: 5000 }, (_, i) => step(`s${i}`, i ? [`s${i - 1}`] : []));
    const ancestors = ancestorsOf(steps);
    expect(ancestors.get('s4999')?.size).toBe(4999);
    expect(topologicalOrder(steps).length).toBe(5000);
  });

  it('names each cycle once, starting at the step written first', () => {
    expect(findCycles([step('a', ['c']), step('b', ['a']), step('c', ['b']), step('d', ['d'])])).toEqual([['a', 'c', 'b']]);
  });
});
