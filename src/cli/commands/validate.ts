import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { createRegistry } from '../../adapters/registry';
import { environmentNamed } from '../../config/environment';
import { CONFIG_FILES, loadConfig } from '../../config/load';
import type { Config } from '../../config/model';
import type { Diagnostic } from '../../runbook/diagnostics';
import { didYouMean } from '../../runbook/did-you-mean';
import type { Step } from '../../runbook/model';
import { loadRunbookFile } from '../../runbook/load';
import { formatDiagnostics, summarize } from '../../runbook/print-diagnostics';
import { findRunbooks, resolveRunbook, yamlFilesUnder } from '../../runbook/search';
import { displayPath, SourceFile } from '../../runbook/source-file';
import { OpsctlError } from '../../util/errors';
import { ExitCode } from '../exit-codes';
import { loaderOutput, useColor } from './output-format';

interface ValidateOptions {
  readonly env?: string;
  readonly output?: string;
}

interface FileResult {
  readonly path: string;
  readonly name?: string;
  readonly ok: boolean;
  readonly diagnostics: readonly Diagnostic[];
  /** Later checks did not run, on the whole file or on the parts with errors, because of these errors (F9). */
  readonly incomplete?: boolean;
  readonly skipped?: 'all' | 'parts';
}

/**
 * `opsctl validate [FILE|DIR]...`: every diagnostic of every file, then a summary. Exit 2 when
 * any file has an error, 0 with warnings only. No argument: every runbook in the search path.
 */
export default async function validate(targets: readonly string[], options: ValidateOptions): Promise<void> {
  const output = loaderOutput(options.output);
  const config = await loadConfig();
  if (options.env !== undefined) environmentNamed(config, options.env);
  const found = targets.length ? [] : await findRunbooks(config);
  // Two of the team's runbooks with one name: `opsctl run NAME` silently takes the first (F36).
  // Shadowing a shipped runbook is what a team does on purpose, and stays quiet.
  const duplicates = new Map(found.filter((e) => e.shadowed && !e.builtin).map((e) => [e.path, found.find((first) => first.name === e.name)?.path ?? '']));
  const expanded = targets.length ? await expandTargets(targets, config) : { files: found.filter((e) => !e.shadowed || duplicates.has(e.path)).map((e) => e.path), missing: [], empty: [] };
  const files = expanded.files;
  // A folder named on the command line that holds no runbook checked nothing: a CI job run from
  // the wrong directory must not go green.
  const emptyFolders = expanded.empty;
  const registry = createRegistry();
  const results: FileResult[] = [...expanded.missing];
  for (const file of files) {
    const loaded = await loadRunbookFile(file, { registry, config, ...(options.env !== undefined ? { environment: options.env } : {}) });
    const databases = loaded.ok ? unknownDatabases(loaded.graph.runbook.steps, config) : [];
    if (databases.length && loaded.ok) {
      results.push({ path: displayPath(file), ok: false, diagnostics: [...loaded.diagnostics, ...databases].sort((a, b) => a.range.offset - b.range.offset), name: loaded.graph.runbook.name });
      continue;
    }
    const first = duplicates.get(file);
    if (first !== undefined && loaded.ok) {
      const diagnostics = [...loaded.diagnostics, duplicateName(file, loaded.graph.runbook.name, first)];
      results.push({ path: displayPath(file), ok: false, diagnostics, name: loaded.graph.runbook.name });
      continue;
    }
    results.push({ path: displayPath(file), ok: loaded.ok, diagnostics: loaded.diagnostics, ...(loaded.ok ? { name: loaded.graph.runbook.name } : {}), ...(!loaded.ok && loaded.incomplete ? { incomplete: true, skipped: loaded.incomplete } : {}) });
  }
  // opsctl.yaml's own warnings (a `runbooks:` folder that does not exist) come first.
  const configWarnings = [...(config.warnings ?? []), ...(await incidentRunbooks(config))];
  const all = [...configWarnings, ...results.flatMap((r) => r.diagnostics)];
  const configErrors = configWarnings.filter((d) => d.severity === 'error').length;
  const failed = results.filter((r) => !r.ok).length + emptyFolders.length;
  if (output === 'json') {
    const summary = { files: results.length, invalid: failed, errors: all.filter((d) => d.severity === 'error').length, warnings: all.filter((d) => d.severity === 'warning').length };
    const configPart = configWarnings.length ? { config: { path: config.path ? displayPath(config.path) : undefined, diagnostics: configWarnings } } : {};
    const emptyPart = emptyFolders.length ? { emptyFolders: emptyFolders.map((folder) => displayPath(folder)) } : {};
    process.stdout.write(`${JSON.stringify({ ok: failed === 0 && configErrors === 0, ...summary, ...configPart, ...emptyPart, results }, null, 2)}\n`);
  } else {
    if (all.length) process.stderr.write(`${formatDiagnostics(all, { color: useColor(output, process.stderr) })}\n\n`);
    for (const r of results.filter((result) => result.incomplete)) {
      const what = r.skipped === 'parts' ? 'skipped the parts with errors above' : 'did not run because of the errors above';
      process.stderr.write(`note: ${r.path}: the later checks (params, expressions, the step graph) ${what}; fix them and validate again, there may be more\n\n`);
    }
    for (const r of results) process.stdout.write(`${r.ok ? 'ok     ' : 'invalid'} ${r.path}${r.ok && r.diagnostics.length ? ` (${summarize(r.diagnostics)})` : ''}\n`);
    for (const folder of emptyFolders) process.stderr.write(`error: no runbook (*.yaml, *.yml) in ${displayPath(folder)}\n`);
    if (results.length === 0 && targets.length === 0) process.stdout.write(`no runbooks found in ${config.runbookPaths.join(', ')}\n`);
    else if (results.length > 0) process.stdout.write(`${results.length} runbook${results.length === 1 ? '' : 's'} checked: ${failed ? `${failed} invalid` : 'all valid'}${all.length ? ` (${summarize(all)})` : ''}\n`);
    if (configErrors) process.stdout.write(`${config.path ? displayPath(config.path) : 'opsctl.yaml'}: ${configErrors} error${configErrors === 1 ? '' : 's'}\n`);
  }
  process.exitCode = failed || configErrors ? ExitCode.Usage : ExitCode.Success;
}

/**
 * A `sql` step's `database:` written as a plain name must be one of opsctl.yaml's `databases:`
 * (F11): found now, not when the run reaches that step. URLs and `\${{ }}` are checked at run time.
 */
function unknownDatabases(steps: readonly Step[], config: Config): Diagnostic[] {
  const names = Object.keys(config.databases).sort();
  const out: Diagnostic[] = [];
  const actions = steps.flatMap((step) => [{ step, action: step.action }, ...(step.undo && step.undo !== 'auto' ? [{ step, action: step.undo }] : [])]);
  for (const { step, action } of actions) {
    if (action.kind !== 'sql') continue;
    const database = action.input.database;
    if (typeof database !== 'string' || database.includes('${{') || /^postgres(ql)?:\/\//i.test(database) || Object.hasOwn(config.databases, database)) continue;
    const suggestion = didYouMean(database, names);
    out.push({
      severity: 'error',
      code: 'unknown-database',
      message: `step \`${step.id}\` reads database \`${database}\`, which is neither a name under \`databases:\` in opsctl.yaml nor a postgres:// URL`,
      range: step.range,
      hint: suggestion ? `did you mean \`${suggestion}\`?` : names.length ? `databases in opsctl.yaml: ${names.join(', ')}` : 'opsctl.yaml has no `databases:` section: add one, or write a postgres:// URL',
    });
  }
  return out;
}

/** `incidents.severities.P1.runbook` of opsctl.yaml names a runbook of the search path (F11). */
async function incidentRunbooks(config: Config): Promise<Diagnostic[]> {
  const out: Diagnostic[] = [];
  for (const [severity, policy] of Object.entries(config.incidents.severities)) {
    if (!policy.runbook || !policy.runbookRange) continue;
    try {
      await resolveRunbook(policy.runbook, config);
    } catch (error) {
      if (!(error instanceof OpsctlError)) throw error;
      out.push({
        severity: 'error',
        code: 'unknown-runbook',
        message: `incidents.severities.${severity}.runbook: ${error.message}; \`incident start --severity ${severity}\` would fail`,
        range: policy.runbookRange,
        ...(error.hint ? { hint: error.hint } : {}),
      });
    }
  }
  return out;
}

function duplicateName(file: string, name: string, first: string): Diagnostic {
  const text = readFileSync(file, 'utf8');
  const at = /^name:[ \t]*/m.exec(text);
  const offset = at ? at.index + at[0].length : 0;
  return {
    severity: 'error',
    code: 'duplicate-name',
    message: `runbook name \`${name}\` is also the name of ${displayPath(first)}, which comes first in the search path: \`opsctl run ${name}\` never runs this file`,
    range: new SourceFile(displayPath(file), text).range(offset, offset + name.length),
    hint: 'give one of them another `name:` (a runbook of yours may share the name of a shipped one on purpose: yours wins)',
  };
}

/** Files stay files, folders become the runbook files under them, names resolve through the search path. */
async function expandTargets(targets: readonly string[], config: Config): Promise<{ files: string[]; missing: FileResult[]; empty: string[] }> {
  const files: string[] = [];
  const missing: FileResult[] = [];
  const empty: string[] = [];
  for (const target of targets) {
    const absolute = resolve(target);
    let isDir = false;
    try {
      isDir = statSync(absolute).isDirectory();
    } catch {
      // not on disk: maybe a runbook name
    }
    if (isDir) {
      // A link that leads nowhere is listed, and reported as unreadable, rather than skipped.
      const found = yamlFilesUnder(absolute, { skip: (name) => name === 'node_modules' || CONFIG_FILES.includes(name), danglingLinks: true });
      if (found.length === 0) empty.push(absolute);
      files.push(...found);
      continue;
    }
    try {
      files.push(await resolveRunbook(target, config));
    } catch (error) {
      if (!(error instanceof OpsctlError)) throw error;
      const range = { file: target, line: 1, col: 1, offset: 0, endOffset: 0 };
      missing.push({ path: target, ok: false, diagnostics: [{ severity: 'error', code: 'not-found', message: error.message, range, ...(error.hint ? { hint: error.hint } : {}) }] });
    }
  }
  return { files: [...new Set(files)], missing, empty };
}

