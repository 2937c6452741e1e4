import { parseDocument, Parser, type CST, type Document } from 'yaml';
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
    const code = `yaml-${error.code.toLowerCase().replace(/_/g, '-')}`;
    const [start, end] = error.pos;
    // The parser notices an unclosed quote or bracket only at the end of the file, and says so
    // there (a line that may not even exist): point at what was opened instead.
    const contentEnd = source.text.trimEnd().length;
    if (start >= contentEnd) {
      const opener = lastUnclosed(source.text);
      if (opener) return { severity: 'error', code, message: opener.message, range: source.range(opener.offset, opener.offset + 1), hint: opener.hint };
      const last = Math.max(0, contentEnd - 1);
      const { message, hint } = explainYamlError(error.code, error.message, '');
      return { severity: 'error', code, message, range: source.range(last, last + 1), ...(hint ? { hint } : {}) };
    }
    const key = /^("[^"\n]*"|'[^'\n]*'|[^:\n]+?)\s*:/.exec(source.text.slice(start, start + 200))?.[1] ?? source.text.slice(start, end);
    const { message, hint } = explainYamlError(error.code, error.message, key);
    return { severity: 'error', code, message, range: source.range(start, end), ...(hint ? { hint } : {}) };
  });
  if (diagnostics.length) {
    // Several of the parser's errors can come down to one unclosed opener: say it once.
    const once = new Map(diagnostics.map((d) => [`${d.range.offset}:${d.message}`, d]));
    return { ok: false, diagnostics: [...once.values()] };
  }
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
    case 'BLOCK_AS_IMPLICIT_KEY':
      return {
        message: `YAML syntax error: ${message.replace(/\s+at line \d+, column \d+.*$/s, '')}`,
        hint: 'a value that contains `: ` must be quoted as a whole, or written as a block: `shell: |` and the script on the lines below, indented',
      };
    default:
      return { message: `YAML syntax error: ${message.replace(/\s+at line \d+, column \d+.*$/s, '')}` };
  }
}

/** The innermost quote, `{` or `[` the file opens and never closes, from YAML's own tokens. */
function lastUnclosed(text: string): { offset: number; message: string; hint: string } | undefined {
  let found: { offset: number; message: string; hint: string } | undefined;
  const visit = (token: unknown): void => {
    if (typeof token !== 'object' || token === null) return;
    if (Array.isArray(token)) {
      for (const item of token) visit(item);
      return;
    }
    const t = token as Partial<CST.FlowScalar> & Partial<CST.FlowCollection> & Record<string, unknown>;
    if ((t.type === 'double-quoted-scalar' || t.type === 'single-quoted-scalar') && typeof t.source === 'string' && typeof t.offset === 'number') {
      if (!quoteClosed(t.source)) {
        const quote = t.source[0]!;
        found = { offset: t.offset, message: `YAML syntax error: this \`${quote}\` is never closed`, hint: `end the value with a closing \`${quote}\` (a quoted value may go on over several lines, but must be closed)` };
      }
    } else if (t.type === 'flow-collection' && typeof t.offset === 'number' && t.start && Array.isArray(t.end)) {
      const open = t.start.source;
      const close = open === '{' ? '}' : ']';
      if (!t.end.some((e) => e.source === close)) {
        found = { offset: t.offset, message: `YAML syntax error: this \`${open}\` is never closed`, hint: `add the closing \`${close}\`, or write the ${open === '{' ? 'mapping' : 'list'} as indented lines instead` };
      }
    }
    for (const [key, value] of Object.entries(t)) if (key !== 'source' && typeof value === 'object') visit(value);
  };
  for (const token of new Parser().parse(text)) visit(token);
  return found;
}

/** Whether a quoted scalar's source ends with its closing quote (`\"` and `''` are escapes). */
function quoteClosed(source: string): boolean {
  const quote = source[0];
  for (let i = 1; i < source.length; i++) {
    const c = source[i];
    if (quote === '"' && c === '\\') i++;
    else if (c === quote) {
      if (quote === "'" && source[i + 1] === "'") i++;
      else return i === source.length - 1 || source.slice(i + 1).trim() === '';
    }
  }
  return false;
}
