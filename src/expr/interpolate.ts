import type { ExprContext } from './context';
import { ExpressionError } from './errors';
import { evaluateExpression } from './evaluate';
import { ShellQuoteTracker } from './shell-quotes';
import { scanTemplate, singleExpression, type TemplatePart } from './template';
import { Unknown } from './unknown';
import { isPlainObject, stringify } from './values';

function scan(text: string): readonly TemplatePart[] {
  const result = scanTemplate(text);
  if (!result.ok) throw new ExpressionError(result.message, text);
  return result.parts;
}

/**
 * Fills in every `${{ }}` of a string. A string that is exactly one expression yields the raw
 * value (a number stays a number); otherwise the values are joined as text. A part that is
 * not known yet (dry-run) makes the whole value an Unknown that shows what is missing.
 */
export function interpolate(text: string, ctx: ExprContext): unknown {
  if (!text.includes('${{')) return text;
  const parts = scan(text);
  const single = singleExpression(parts);
  if (single) return evaluateExpression(single.source, ctx);
  const values = parts.map((part) => (part.kind === 'text' ? part.text : evaluateExpression(part.source, ctx)));
  const unknowns = values.filter((v): v is Unknown => v instanceof Unknown);
  const joined = values.map(stringify).join('');
  return unknowns.length ? new Unknown(unknowns.flatMap((u) => u.expressions), joined) : joined;
}

/** `interpolate` over every string of a value: objects and arrays are walked deeply. */
export function resolveValue(value: unknown, ctx: ExprContext): unknown {
  if (typeof value === 'string') return interpolate(value, ctx);
  if (Array.isArray(value)) return value.map((item) => resolveValue(item, ctx));
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = resolveValue(item, ctx);
    return out;
  }
  return value;
}

export interface Scriptified {
  /** The script with each `${{ }}` replaced by `${OPSCTL_Vn}`: values never become code. */
  readonly script: string;
  /** `OPSCTL_Vn` → the value as text. */
  readonly env: Readonly<Record<string, string>>;
  /** The script with the values filled in, for plans and logs (redact before showing). */
  readonly display: string;
  /** Values not known yet (dry-run), as shown: `<unknown: steps.X.outputs.Y>`. */
  readonly unknowns: readonly string[];
}

/** Turns a shell script's expressions into environment variables (DESIGN.md §3 Injection). */
export function scriptify(text: string, ctx: ExprContext, prefix = 'OPSCTL_V'): Scriptified {
  if (!text.includes('${{')) return { script: text, env: {}, display: text, unknowns: [] };
  const env: Record<string, string> = {};
  const unknowns: string[] = [];
  const names = new Map<string, string>();
  let script = '';
  let display = '';
  // Bash expands `${OPSCTL_Vn}` unquoted and in "…", but not in '…': there the quote is closed
  // around the value ('…'"${OPSCTL_V1}"'…'), so what runs is what the plan shows.
  const quotes = new ShellQuoteTracker();
  for (const part of scan(text)) {
    if (part.kind === 'text') {
      script += part.text;
      display += part.text;
      quotes.feed(part.text);
      continue;
    }
    const where = quotes.context();
    quotes.value();
    if (where === 'literal-heredoc') {
      throw new ExpressionError(
        'this expression sits in a quoted here-document (<<\'EOF\' or <<"EOF"), where bash expands nothing, so the script would get the literal text ${OPSCTL_V1} instead of the value; unquote the delimiter (<<EOF)',
        part.source,
      );
    }
    const value = evaluateExpression(part.source, ctx);
    const shown = stringify(value);
    if (value instanceof Unknown && !unknowns.includes(shown)) unknowns.push(shown);
    const bytes = Buffer.byteLength(shown);
    if (bytes > MAX_ENV_VALUE_BYTES) {
      throw new ExpressionError(
        `this value is ${formatBytes(bytes)}, and a value reaches a script as an environment variable, which Linux limits to 128 KiB; select a smaller part (an output with json: or regex:), or have the earlier step write it to a file and pass the path`,
        part.source,
      );
    }
    let name = names.get(part.source);
    if (!name) {
      name = `${prefix}${names.size + 1}`;
      names.set(part.source, name);
      env[name] = shown;
    }
    script += where === 'single' ? `'"\${${name}}"'` : where === 'ansi' ? `'"\${${name}}"$'` : `\${${name}}`;
    display += shown;
  }
  return { script, env, display, unknowns };
}

/** Linux's limit on one environment string (MAX_ARG_STRLEN, 32 pages), less room for `OPSCTL_Vn=`. */
const MAX_ENV_VALUE_BYTES = 128 * 1024 - 64;

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MB` : `${Math.round(bytes / 1024)} KiB`;
}
