import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { isMap, isScalar, isSeq, type Document } from 'yaml';
import { extractReferences, parseCel, interpolate, scanTemplate } from '../expr';
import type { Diagnostic } from '../runbook/diagnostics';
import { parseYaml } from '../runbook/parse-yaml';
import { readSource } from '../runbook/read-source';
import type { SourceFile } from '../runbook/source-file';
import { nodeRange, validateNode } from '../runbook/validate-schema';
import { parseDuration } from '../util/duration';
import { DiagnosticsError } from '../util/errors';
import { defaultIncidentPolicy } from './defaults';
import type { Config, DatabaseConfig, EnvironmentConfig, IncidentPolicyConfig, SeverityName, StateConfig } from './model';
import { shippedRunbooks } from './package-root';
import { configSchema } from './schema';

/** Reads, checks and resolves an opsctl.yaml (see loadConfig). Throws DiagnosticsError on a bad file. */
export async function readConfigFile(path: string, cwd: string, env: NodeJS.ProcessEnv): Promise<Config> {
  const read = await readSource(path, cwd);
  if (!read.ok) throw new DiagnosticsError(`cannot read ${path}`, read.diagnostics);
  const parsed = parseYaml(read.source);
  if (!parsed.ok) throw new DiagnosticsError(`${read.source.file} is not valid YAML`, parsed.diagnostics);
  const result = configFromDocument(parsed.doc, read.source, path, env, parsed.value);
  if (!result.ok) throw new DiagnosticsError(`${read.source.file} has ${result.diagnostics.length} problem(s)`, result.diagnostics);
  const warnings = missingRunbookFolders(parsed.doc, read.source, result.config, pathKind);
  return warnings.length ? { ...result.config, warnings } : result.config;
}

function pathKind(path: string): 'folder' | 'file' | 'missing' {
  try {
    return statSync(path).isDirectory() ? 'folder' : 'file';
  } catch {
    return 'missing';
  }
}

/** A `runbooks:` entry that is not a folder finds no runbook: said at its line:col, not silently skipped. */
export function missingRunbookFolders(doc: Document, source: SourceFile, config: Config, kindOf: (path: string) => 'folder' | 'file' | 'missing'): Diagnostic[] {
  const list = doc.get('runbooks', true);
  if (!isSeq(list)) return [];
  const out: Diagnostic[] = [];
  list.items.forEach((item, i) => {
    const folder = config.runbookPaths[i];
    const kind = folder === undefined ? 'folder' : kindOf(folder);
    if (folder === undefined || kind === 'folder') return;
    const written = isScalar(item) ? String(item.value) : folder;
    out.push({
      severity: 'warning',
      code: 'missing-runbooks-folder',
      message: `runbook folder \`${written}\` ${kind === 'missing' ? 'does not exist' : 'is a file, not a folder'}${written === folder ? '' : ` (${folder})`}, so no runbook is found there`,
      range: nodeRange(source, item),
      hint: 'create it, or fix the path (relative to opsctl.yaml)',
    });
  });
  return out;
}

type ConfigResult = { readonly ok: true; readonly config: Config } | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

export function configFromDocument(doc: Document.Parsed, source: SourceFile, path: string, env: NodeJS.ProcessEnv, value: unknown = doc.toJS({ maxAliasCount: 100 })): ConfigResult {
  const diagnostics: Diagnostic[] = [];
  if (doc.contents !== null && !(isScalar(doc.contents) && doc.contents.value === null)) {
    validateNode({ source, doc, diagnostics }, doc.contents, configSchema, '');
  }
  checkExpressions(doc, source, diagnostics);
  if (diagnostics.length) return { ok: false, diagnostics };

  const root = dirname(path);
  const raw = resolveStrings(value ?? {}, env) as RawConfig;
  const defaults = defaultIncidentPolicy();
  const state = stateConfig(raw.state, root, doc, source, diagnostics);
  if (!state) return { ok: false, diagnostics };
  const environments: Record<string, EnvironmentConfig> = {};
  for (const [name, e] of Object.entries(raw.environments ?? {})) {
    const envs = doc.get('environments', true);
    const pair = isMap(envs) ? envs.items.find((p) => isScalar(p.key) && p.key.value === name) : undefined;
    environments[name] = {
      name,
      protected: e?.protected === true,
      ...(e?.aws ? { aws: e.aws } : {}),
      vars: e?.vars ?? {},
      range: nodeRange(source, pair?.key),
    };
  }
  const databases: Record<string, DatabaseConfig> = {};
  for (const [name, d] of Object.entries(raw.databases ?? {})) databases[name] = { name, url: d.url };
  const severities = { ...defaults.severities };
  for (const [name, policy] of Object.entries(raw.incidents?.severities ?? {})) {
    const base = severities[name as SeverityName];
    severities[name as SeverityName] = {
      respondMs: policy.respond ? (parseDuration(policy.respond) ?? base.respondMs) : base.respondMs,
      resolveMs: policy.resolve ? (parseDuration(policy.resolve) ?? base.resolveMs) : base.resolveMs,
      ...(policy.runbook ? { runbook: policy.runbook } : base.runbook ? { runbook: base.runbook } : {}),
    };
    const written = policy.runbook ? doc.getIn(['incidents', 'severities', name, 'runbook'], true) : undefined;
    if (written) severities[name as SeverityName] = { ...severities[name as SeverityName], runbookRange: nodeRange(source, written) };
  }
  const escalation = raw.incidents?.escalation
    ? raw.incidents.escalation.map((e) => ({ afterMs: parseDuration(e.after) ?? 0, to: e.to })).sort((a, b) => a.afterMs - b.afterMs)
    : defaults.escalation;
  const incidents: IncidentPolicyConfig = { severities, escalation };
  return {
    ok: true,
    config: {
      path,
      root,
      runbookPaths: [...(raw.runbooks ?? []).map((p) => resolve(root, p)), shippedRunbooks()],
      state,
      environments,
      databases,
      incidents,
      notify: raw.notify?.webhook ? { webhook: raw.notify.webhook } : {},
    },
  };
}

interface RawConfig {
  runbooks?: string[];
  state?: { backend: 'file' | 'postgres'; dir?: string; url?: string };
  environments?: Record<string, { protected?: boolean; aws?: { region?: string; profile?: string }; vars?: Record<string, unknown> } | null>;
  databases?: Record<string, { url: string }>;
  incidents?: { severities?: Record<string, { respond?: string; resolve?: string; runbook?: string }>; escalation?: { after: string; to: string }[] };
  notify?: { webhook?: string };
}

function stateConfig(raw: RawConfig['state'], root: string, doc: Document, source: SourceFile, diagnostics: Diagnostic[]): StateConfig | undefined {
  if (!raw || raw.backend === 'file') return { backend: 'file', ...(raw?.dir ? { dir: resolve(root, raw.dir) } : {}) };
  if (!raw.url) {
    diagnostics.push({
      severity: 'error',
      code: 'missing-key',
      message: raw.url === '' ? '`state.url` is empty (its environment variable is not set?)' : '`state` with `backend: postgres` needs a `url`',
      range: nodeRange(source, doc.get('state', true)),
      hint: 'e.g. state: { backend: postgres, url: "${{ env.OPSCTL_DATABASE_URL }}" }',
    });
    return undefined;
  }
  return { backend: 'postgres', url: raw.url };
}

/** Config strings may read only `env`: the process environment. */
function checkExpressions(doc: Document, source: SourceFile, diagnostics: Diagnostic[]): void {
  const visit = (node: unknown): void => {
    if (isScalar(node) && typeof node.value === 'string' && node.value.includes('${{')) {
      const scan = scanTemplate(node.value);
      const at = nodeRange(source, node);
      if (!scan.ok) {
        diagnostics.push({ severity: 'error', code: 'bad-expression', message: scan.message, range: at });
        return;
      }
      for (const part of scan.parts) {
        if (part.kind !== 'expr') continue;
        const parsed = parseCel(part.source);
        if (!parsed.ok) {
          diagnostics.push({ severity: 'error', code: 'bad-expression', message: `expression does not parse: ${parsed.message}`, range: at });
          continue;
        }
        for (const ref of extractReferences(parsed.ast).references) {
          if (ref.root !== 'env') {
            diagnostics.push({ severity: 'error', code: 'unknown-context', message: `\`${ref.root}\` is not available in opsctl.yaml; only \`env\` is`, range: at, hint: 'read the process environment: ${{ env.NAME }}' });
          }
        }
      }
      return;
    }
    if (isMap(node)) for (const pair of node.items) visit(pair.value);
    else if (isSeq(node)) for (const item of node.items) visit(item);
  };
  visit(doc.contents);
}

/** `${{ env.X }}` against the process environment; an unset variable becomes empty text. */
function resolveStrings(value: unknown, env: NodeJS.ProcessEnv): unknown {
  if (typeof value === 'string') {
    if (!value.includes('${{')) return value;
    try {
      const result = interpolate(value, { env });
      return typeof result === 'string' ? result : String(result);
    } catch {
      return value.replace(/\$\{\{[^}]*\}\}/g, (m) => {
        try {
          return String(interpolate(m, { env }));
        } catch {
          return '';
        }
      });
    }
  }
  if (Array.isArray(value)) return value.map((v) => resolveStrings(v, env));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveStrings(v, env)]));
  return value;
}
