import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRegistry } from '../../../src/adapters/registry';
import { defaultConfig } from '../../../src/config/load';
import { loadRunbookFile } from '../../../src/runbook/load';
import { readSource } from '../../../src/runbook/read-source';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'opsctl-read-source-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const sha256 = (bytes: string | Buffer) => createHash('sha256').update(bytes).digest('hex');
const RUNBOOK = '\uFEFFapiVersion: opsctl/v1\nkind: Runbook\nname: hashed\ntitle: Hashed\nsteps:\n  - { id: a, log: hi }\n';

describe('readSource', () => {
  it('gives the sha256 of the bytes as they are on disk (a BOM included), the text without the BOM', async () => {
    const file = join(dir, 'r.yaml');
    writeFileSync(file, RUNBOOK);
    const read = await readSource(file, dir);
    if (!read.ok) throw new Error('not read');
    expect(read.source.text.startsWith('apiVersion')).toBe(true);
    expect(read.hash).toBe(sha256(Buffer.from(RUNBOOK, 'utf8')));
    expect(read.hash).toBe(read.hash);
  });

  it('passes the hash on to the loaded runbook, and a changed file has another', async () => {
    const file = join(dir, 'r.yaml');
    writeFileSync(file, RUNBOOK);
    const options = { registry: createRegistry(), config: defaultConfig(dir), cwd: dir };
    const first = await loadRunbookFile(file, options);
    writeFileSync(file, RUNBOOK.replace('log: hi', 'log: bye'));
    const second = await loadRunbookFile(file, options);
    if (!first.ok || !second.ok) throw new Error('not loaded');
    expect(first.graph.runbook.source.hash).toBe(sha256(Buffer.from(RUNBOOK, 'utf8')));
    expect(second.graph.runbook.source.hash).not.toBe(first.graph.runbook.source.hash);
    expect(JSON.parse(JSON.stringify(first.graph.runbook.source)).hash).toBe(first.graph.runbook.source.hash);
  });

  it('says a folder is not a file, and a missing file does not exist', async () => {
    const folder = await readSource(dir, dir);
    expect(folder.ok ? '' : folder.diagnostics[0]!.code).toBe('not-a-file');
    const missing = await readSource(join(dir, 'nope.yaml'), dir);
    expect(missing.ok ? '' : missing.diagnostics[0]!.code).toBe('not-found');
  });
});
