import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultRegistry } from '../../../src/adapters/registry';
import { defaultConfig } from '../../../src/config/load';
import { loadRunbook } from '../../../src/runbook/load';
import { formatDiagnostics } from '../../../src/runbook/print-diagnostics';

const ROOT = join(import.meta.dirname, '../../..');
const config = defaultConfig(ROOT);

describe('shipped incident runbooks', () => {
  for (const severity of ['p1', 'p2', 'p3', 'p4']) {
    it(`incident-${severity} loads without diagnostics through the real loader`, async () => {
      const loaded = await loadRunbook(`incident-${severity}`, { registry: defaultRegistry, config, cwd: ROOT });
      expect(formatDiagnostics(loaded.diagnostics, { color: false })).toBe('');
      expect(loaded.ok).toBe(true);
    });
  }

  it('follows the seeds’ procedure: acknowledge first, a human mitigate step, the postmortem last', async () => {
    for (const severity of ['p1', 'p2', 'p3']) {
      const loaded = await loadRunbook(`incident-${severity}`, { registry: defaultRegistry, config, cwd: ROOT });
      if (!loaded.ok) throw new Error('not loaded');
      const order = loaded.graph.order;
      expect(order[0]).toBe('acknowledge');
      expect(loaded.graph.steps.get('mitigate')?.action.kind).toBe('manual');
      expect(order.indexOf('assess')).toBeLessThan(order.indexOf('mitigate'));
      expect(order.indexOf('root_cause')).toBeLessThan(order.indexOf('rollback'));
      const rollback = loaded.graph.steps.get('rollback');
      expect(rollback?.action.kind).toBe('runbook');
      expect(rollback?.confirm).toMatch(/Roll .* back/);
    }
    const p1 = await loadRunbook('incident-p1', { registry: defaultRegistry, config, cwd: ROOT });
    if (!p1.ok) throw new Error('not loaded');
    expect(p1.graph.order.at(-1)).toBe('schedule_postmortem');
    expect(p1.graph.steps.get('open_channel')?.action.kind).toBe('notify');
  });
});
