import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Runbook, Step } from '../../../src/runbook/model';
import { onPath, unmetInCallTree, unmetRequirements } from '../../../src/runbook/requirements';

const runbook = (tools: string[], env: string[]) => ({ name: 'restore', requires: { tools, env } });

describe('requires: { tools, env }', () => {
  it('is met when every tool is found and every variable set', () => {
    expect(unmetRequirements(runbook(['psql'], ['PGHOST']), { PGHOST: 'db' }, (tool) => tool === 'psql')).toBeUndefined();
  });

  it('names every missing tool and unset (or empty) variable', () => {
    const unmet = unmetRequirements(runbook(['psql', 'pg_restore', 'kubectl'], ['PGHOST', 'AWS_REGION']), { AWS_REGION: '' }, (tool) => tool === 'psql');
    expect(unmet).toEqual({
      tools: ['pg_restore', 'kubectl'],
      env: ['PGHOST', 'AWS_REGION'],
      message: 'runbook `restore` requires tools not found on PATH: pg_restore, kubectl; environment variables not set: PGHOST, AWS_REGION',
      hint: 'install the tools (or fix PATH) and set PGHOST=… AWS_REGION=…, then run again; nothing was changed',
    });
  });
});

describe('requires of called runbooks', () => {
  const range = { file: 'x', line: 1, col: 1, offset: 0, endOffset: 0 };
  const calling = (id: string, name: string) => ({ id, action: { kind: 'runbook', input: { name }, range } }) as unknown as Step;
  const book = (name: string, tools: string[], steps: Step[] = []) => ({ name, requires: { tools, env: [] }, steps, finally: [] }) as unknown as Runbook;
  const library: Record<string, Runbook> = {
    child: book('child', [], [calling('deeper', 'grandchild'), calling('again', 'parent')]),
    grandchild: book('grandchild', ['pg_restore']),
  };
  const load = async (name: string) => library[name];

  it('finds an unmet requirement anywhere in the call tree, naming who runs it', async () => {
    const parent = book('parent', ['psql'], [calling('restore', 'child'), calling('later', '${{ params.which }}'), calling('gone', 'missing')]);
    const unmet = await unmetInCallTree(parent, {}, load, (tool) => tool === 'psql');
    expect(unmet?.message).toBe('runbook `grandchild` requires a tool not found on PATH: pg_restore (run by step `deeper` of `child`)');
    expect(await unmetInCallTree(parent, {}, load, () => true)).toBeUndefined();
  });
});

describe('onPath', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'opsctl-path-'));
    writeFileSync(join(dir, 'tool'), '#!/bin/sh\n');
    chmodSync(join(dir, 'tool'), 0o755);
    writeFileSync(join(dir, 'plain'), 'not executable');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('finds executables in PATH folders or at a path, not plain files or folders', () => {
    expect(onPath('tool', ['/nonexistent', dir].join(delimiter))).toBe(true);
    expect(onPath('plain', dir)).toBe(false);
    expect(onPath('tool', '/nonexistent')).toBe(false);
    expect(onPath(join(dir, 'tool'), undefined)).toBe(true);
    expect(onPath('opsctl-path-test', dir)).toBe(false);
  });
});
