import { describe, expect, it } from 'vitest';
import { isDrained, readySteps, type SlotState } from '../../../src/engine/scheduler';

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
