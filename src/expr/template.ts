/**
 * Finds the `${{ … }}` parts of a string. An expression ends at the first `}}` that is outside
 * a CEL string literal and outside braces it opened itself, so `${{ {"a": {"b": 1}} }}` works.
 */
export type TemplatePart =
  | { readonly kind: 'text'; readonly text: string; readonly start: number; readonly end: number }
  | {
      readonly kind: 'expr';
      /** The CEL source between the delimiters, trimmed. */
      readonly source: string;
      /** Offsets of `${{` and just after `}}` in the template. */
      readonly start: number;
      readonly end: number;
      /** Offset of `source` in the template. */
      readonly sourceStart: number;
    };

export type TemplateScan =
  | { readonly ok: true; readonly parts: readonly TemplatePart[] }
  | { readonly ok: false; readonly message: string; readonly offset: number; readonly parts: readonly TemplatePart[] };

const OPEN = '${{';

export function hasExpression(text: string): boolean {
  return text.includes(OPEN);
}

export function scanTemplate(text: string): TemplateScan {
  const parts: TemplatePart[] = [];
  let cursor = 0;
  while (cursor < text.length) {
    const open = text.indexOf(OPEN, cursor);
    if (open < 0) break;
    if (open > cursor) parts.push({ kind: 'text', text: text.slice(cursor, open), start: cursor, end: open });
    const close = findClose(text, open + OPEN.length);
    if (close < 0) {
      return { ok: false, message: 'unterminated `${{`: add the closing `}}`', offset: open, parts };
    }
    const raw = text.slice(open + OPEN.length, close);
    const lead = raw.length - raw.trimStart().length;
    const source = raw.trim();
    if (source === '') return { ok: false, message: 'empty expression `${{ }}`', offset: open, parts };
    parts.push({ kind: 'expr', source, start: open, end: close + 2, sourceStart: open + OPEN.length + lead });
    cursor = close + 2;
  }
  if (cursor < text.length) parts.push({ kind: 'text', text: text.slice(cursor), start: cursor, end: text.length });
  return { ok: true, parts };
}

/** Index of the `}}` that closes an expression starting at `from`, or -1. */
function findClose(text: string, from: number): number {
  let depth = 0;
  let quote: string | undefined;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '{') depth++;
    else if (c === '}') {
      if (depth === 0 && text[i + 1] === '}') return i;
      if (depth > 0) depth--;
    }
  }
  return -1;
}

/** The string is exactly one `${{ e }}` (surrounding blanks allowed): its value keeps its type. */
export function singleExpression(parts: readonly TemplatePart[]): (TemplatePart & { kind: 'expr' }) | undefined {
  const exprs = parts.filter((p): p is TemplatePart & { kind: 'expr' } => p.kind === 'expr');
  if (exprs.length !== 1) return undefined;
  const onlyBlank = parts.every((p) => p.kind === 'expr' || p.text.trim() === '');
  return onlyBlank ? exprs[0] : undefined;
}
