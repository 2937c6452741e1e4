import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../../src/config/load';
import { loadRunbookFile } from '../../../src/runbook/load';
import { findRunbooks } from '../../../src/runbook/search';
import { registry, show } from './helpers';

describe('shipped runbooks', async () => {
  const config = defaultConfig(process.cwd());
  const entries = await findRunbooks(config);

  it('has unique names', () => {
    expect(entries.filter((e) => e.shadowed).map((e) => e.path)).toEqual([]);
  });

  it.each(entries.map((e) => [e.path.slice(e.root.length + 1), e.path]))('%s loads without errors', async (_name, path) => {
    const result = await loadRunbookFile(path, { registry, config });
    expect(result.diagnostics.filter((d) => d.severity === 'error').map(show)).toEqual([]);
    expect(result.ok).toBe(true);
  });
});
