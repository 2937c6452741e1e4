import { describe, expect, it } from 'vitest';
import { createRegistry, defaultRegistry, suggestKeys } from '../../../src/adapters/registry';
import { shellDefinition } from '../../../src/adapters/shell/definition';

const CORE = ['confirm', 'http', 'log', 'manual', 'notify', 'runbook', 'shell', 'wait'];

describe('registry', () => {
  it('holds every core adapter, and each loads an implementation with plan and run', async () => {
    for (const key of CORE) {
      const definition = defaultRegistry.get(key);
      expect(definition?.key).toBe(key);
      const impl = await definition!.load();
      expect(typeof impl.plan).toBe('function');
      expect(typeof impl.run).toBe('function');
    }
    expect(defaultRegistry.keys()).toEqual(expect.arrayContaining(CORE));
  });

  it('declares the short forms of DESIGN.md §2', () => {
    const short = (key: string) => defaultRegistry.get(key)?.schema.shortForm;
    expect([short('shell'), short('confirm'), short('manual'), short('wait'), short('log')]).toEqual(['run', 'message', 'message', 'duration', 'message']);
  });

  it('declares effects: shell writes unless readonly; human and notify steps are not dry-run', () => {
    const effect = (key: string, input: Record<string, unknown> = {}, readonly = false) => defaultRegistry.get(key)!.effect(input, { readonly });
    expect(effect('shell')).toBe('write');
    expect(effect('shell', {}, true)).toBe('read');
    expect(effect('notify')).toBe('write');
    expect(effect('manual')).toBe('write');
    expect(effect('runbook')).toBe('write');
    expect([effect('wait'), effect('log'), effect('confirm')]).toEqual(['read', 'read', 'read']);
    expect(shellDefinition.scriptFields).toEqual(['run']);
  });

  it('refuses two adapters with one key, and suggests close keys', () => {
    expect(() => createRegistry([shellDefinition])).toThrow('two adapters register `shell`');
    expect(suggestKeys(defaultRegistry, 'shel')).toContain('shell');
    expect(suggestKeys(defaultRegistry, 'notfy')[0]).toBe('notify');
    expect(suggestKeys(defaultRegistry, 'zzzzzzzz')).toEqual([]);
  });
});
