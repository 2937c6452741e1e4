import { createRegistry } from '../../../src/adapters/registry';
import type { EnvironmentConfig } from '../../../src/config/model';
import type { Diagnostic } from '../../../src/runbook/diagnostics';
import { compileSource } from '../../../src/runbook/pipeline';
import { SourceFile } from '../../../src/runbook/source-file';

export const registry = createRegistry();

export function compileText(text: string, environment?: EnvironmentConfig, file = 'test.yaml') {
  return compileSource(new SourceFile(file, text), { registry, ...(environment ? { environment } : {}) });
}

/** `line:col severity code: message (hint)` — what the tests compare. */
export function show(d: Diagnostic): string {
  return `${d.range.line}:${d.range.col} ${d.severity} ${d.code}: ${d.message}${d.hint ? ` (${d.hint})` : ''}`;
}

export const HEADER = 'apiVersion: opsctl/v1\nkind: Runbook\nname: t\n';
