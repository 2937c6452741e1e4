import { parseDocument, type Document } from 'yaml';
import type { Diagnostic } from './diagnostics';
import { fastParseDocument, plainValue, YAML_PARSE_OPTIONS } from './fast-yaml';
import type { SourceFile } from './source-file';

/** More aliases than this in one file is an attack (a "billion laughs"), not a runbook. */
export const MAX_ALIAS_COUNT = 100;

export type ParsedYaml = { readonly ok: true; readonly doc: Document.Parsed; /** The document as plain JS (aliases expanded, within the limit). */ readonly value: unknown } | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

/**
 * Parses one YAML document keeping node ranges; syntax problems become diagnostics. The common
 * case (runbook-style YAML) takes the fast path of fast-yaml.ts, which builds the same AST as
 * `parseDocument` five to six times faster on a cold start; anything else, errors included,
 * goes to `parseDocument`.
 */
export function parseYaml(source: SourceFile): ParsedYaml {
  const fast = fastParseDocument(source.text);
  if (fast) return { ok: true, doc: fast, value: plainValue(fast.contents) };
  const doc = parseDocument(source.text, YAML_PARSE_OPTIONS);
  const diagnostics: Diagnostic[] = doc.errors.map((error) => {
    const [start, end] = error.pos;
    const key = /^("[^"\n]*"|'[^'\n]*'|[^:\n]+?)\s*:/.exec(source.text.slice(start, start + 200))?.[1] ?? source.text.slice(start, end);
    const { message, hint } = explainYamlError(error.code, error.message, key);
    return { severity: 'error', code: `yaml-${error.code.toLowerCase().replace(/_/g, '-')}`, message, range: source.range(start, end), ...(hint ? { hint } : {}) };
  });
  if (diagnostics.length) return { ok: false, diagnostics };
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    if (error instanceof Error && /alias/i.test(error.message)) {
      const first = source.text.search(/\*[\w-]/);
      return {
        ok: false,
        diagnostics: [
          {
            severity: 'error',
            code: 'yaml-alias-bomb',
            message: `too many YAML aliases: expanding them would take more than ${MAX_ALIAS_COUNT} copies`,
            range: source.range(Math.max(0, first), Math.max(0, first) + 1),
            hint: 'this looks like a "billion laughs" attack; write the values out instead of nesting aliases',
          },
        ],
      };
    }
    throw error;
  }
  return { ok: true, doc, value };
}

function explainYamlError(code: string, message: string, text: string): { message: string; hint?: string } {
  switch (code) {
    case 'TAB_AS_INDENT':
      return { message: 'a tab is used for indentation', hint: 'YAML indents with spaces only; replace the tab with spaces' };
    case 'DUPLICATE_KEY':
      return { message: `duplicate key \`${text.trim()}\`: it already appears in this mapping`, hint: 'remove one of them or merge their values' };
    case 'MULTIPLE_DOCS':
      return { message: 'the file holds more than one YAML document (`---`)', hint: 'put each runbook in its own file' };
    default:
      return { message: `YAML syntax error: ${message.replace(/\s+at line \d+, column \d+.*$/s, '')}` };
  }
}
