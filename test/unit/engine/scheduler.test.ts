import { describe, expect, it } from 'vitest';
import { isDrained, ReadyQueue, readySteps, type SlotState } from '../../../src/engine/scheduler';

const needs: Record<string, string[]> = { a: [], b: ['a'], c: ['a'], d: ['b', 'c'], e: [] };
const order = ['a', 'b', 'c', 'd', 'e'];
const input = (state: Record<string, SlotState>, concurrency = 4, stopping = false) => ({
  order,
  needs: (id: string) => needs[id] ?? [],
  state: new Map(Object.entries(state)),
  concurrency,
  stopping,
});

describe('readySteps', () => {
  it('starts steps whose needs settled, in list order, up to concurrency', () => {
    const all: Record<string, SlotState> = { a: 'waiting', b: 'waiting', c: 'waiting', d: 'waiting', e: 'waiting' };
    expect(readySteps(input(all))).toEqual(['a', 'e']);
    expect(readySteps(input(all, 1))).toEqual(['a']);
    expect(readySteps(input({ ...all, a: 'settled' }, 4))).toEqual(['b', 'c', 'e']);
    expect(readySteps(input({ ...all, a: 'settled', b: 'running' }, 2))).toEqual(['c']);
    expect(readySteps(input({ a: 'settled', b: 'settled', c: 'running', d: 'waiting', e: 'settled' }))).toEqual([]);
    expect(readySteps(input({ a: 'settled', b: 'settled', c: 'settled', d: 'waiting', e: 'settled' }))).toEqual(['d']);
  });

  it('starts nothing while stopping, and is drained once nothing runs', () => {
    const state: Record<string, SlotState> = { a: 'settled', b: 'waiting', c: 'running', d: 'waiting', e: 'waiting' };
    expect(readySteps(input(state, 4, true))).toEqual([]);
    expect(isDrained(input(state, 4, true))).toBe(false);
    expect(isDrained(input({ ...state, c: 'settled' }, 4, true))).toBe(true);
  });
});

describe('ReadyQueue', () => {
  // Drives a whole run both ways: the queue must start the same steps, in the same rounds, as
  // readySteps scanning every step (settling steps in an order that varies with the seed).
  const simulate = (ids: string[], deps: Record<string, string[]>, concurrency: number, seed: number, initial: Record<string, SlotState> = {}) => {
    const state = new Map<string, SlotState>(ids.map((id) => [id, initial[id] ?? 'waiting']));
    const queue = new ReadyQueue(ids, (id) => deps[id] ?? [], state);
    const rounds: string[][] = [];
    let random = seed;
    for (;;) {
      const running = [...state].filter(([, s]) => s === 'running').map(([id]) => id);
      const expected = readySteps({ order: ids, needs: (id) => deps[id] ?? [], state, concurrency, stopping: false });
      const got = queue.take(Math.max(1, concurrency) - running.length);
      expect(got).toEqual(expected);
      rounds.push(got);
      for (const id of got) state.set(id, 'running');
      const now = [...state].filter(([, s]) => s === 'running').map(([id]) => id);
      if (now.length === 0) break;
      random = (random * 1103515245 + 12345) % 2 ** 31;
      const done = now[random % now.length]!;
      state.set(done, 'settled');
      queue.settle(done);
    }
    return rounds.flat();
  };

  it('starts the same steps as readySteps on a diamond, a chain and a fan-out', () => {
    for (const seed of [1, 2, 3, 4]) expect(simulate(order, needs, 4, seed).slice(0, 2)).toEqual(['a', 'e']);
    expect(simulate(order, needs, 1, 1)).toEqual(['a', 'b', 'c', 'd', 'e']);
    const chain = Array.from({ length: 50 }, (_, i) => `s${i}`);
    const chainNeeds = Object.fromEntries(chain.map((id, i) => [id, i > 0 ? [chain[i - 1]!] : []]));
    expect(simulate(chain, chainNeeds, 4, 7)).toEqual(chain);
    const fan = ['root', ...Array.from({ length: 20 }, (_, i) => `f${i}`), 'join'];
    const fanNeeds: Record<string, string[]> = { join: fan.slice(1, -1) };
    for (const id of fan.slice(1, -1)) fanNeeds[id] = ['root'];
    for (const seed of [1, 2, 3]) for (const c of [1, 3, 50]) expect(simulate(fan, fanNeeds, c, seed)).toHaveLength(fan.length);
  });

  it('treats settled steps and needs outside the run as done', () => {
    expect(simulate(order, needs, 2, 5, { a: 'settled', e: 'settled' })).toEqual(expect.arrayContaining(['b', 'c', 'd']));
    const q = new ReadyQueue(['x', 'y'], (id) => (id === 'y' ? ['x', 'gone'] : []), new Map<string, SlotState>([['x', 'waiting'], ['y', 'waiting']]));
    expect(q.take(4)).toEqual(['x']);
    expect(q.take(4)).toEqual([]);
    q.settle('x');
    expect(q.take(4)).toEqual(['y']);
  });
});
