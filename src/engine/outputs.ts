/**
 * Output selectors of a step (`outputs: { name: selector }`), applied to what the action returned:
 * `stdout` (its text, trailing newline removed), `json:$.a.b[0]` (a path into the text parsed as
 * JSON), `regex:PATTERN` (the first group, else the whole match), or the name of an output the
 * adapter produced (AWS and SQL steps select from their result this way).
 */
export type SelectResult =
  | { readonly ok: true; readonly outputs: Record<string, unknown> }
  | { readonly ok: false; readonly message: string };

export interface OutcomeData {
  readonly text?: string;
  readonly outputs: Readonly<Record<string, unknown>>;
}

export function selectOutputs(selectors: Readonly<Record<string, string>>, outcome: OutcomeData): SelectResult {
  const outputs: Record<string, unknown> = { ...outcome.outputs };
  for (const [name, selector] of Object.entries(selectors)) {
    const selected = selectOne(selector, outcome);
    if (!selected.ok) return { ok: false, message: `output \`${name}\` (${selector}): ${selected.message}` };
    outputs[name] = selected.value;
  }
  return { ok: true, outputs };
}

type One = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly message: string };

export function selectOne(selector: string, outcome: OutcomeData): One {
  const text = outcome.text ?? '';
  if (selector === 'stdout') return { ok: true, value: text.replace(/\r?\n$/, '') };
  if (selector.startsWith('json:')) {
    let document: unknown;
    try {
      document = JSON.parse(text);
    } catch (error) {
      return { ok: false, message: `the output is not JSON (${(error as Error).message}); it starts with ${JSON.stringify(text.slice(0, 60))}` };
    }
    const path = parseJsonPath(selector.slice('json:'.length));
    if (!path.ok) return path;
    return walk(document, path.segments, selector.slice('json:'.length));
  }
  if (selector.startsWith('regex:')) {
    let pattern: RegExp;
    try {
      pattern = new RegExp(selector.slice('regex:'.length), 'm');
    } catch (error) {
      return { ok: false, message: `invalid regular expression: ${(error as Error).message}` };
    }
    const match = pattern.exec(text);
    if (!match) return { ok: false, message: 'the pattern matched nothing in the output' };
    return { ok: true, value: match[1] ?? match[0] };
  }
  if (Object.hasOwn(outcome.outputs, selector)) return { ok: true, value: outcome.outputs[selector] };
  const known = Object.keys(outcome.outputs);
  return {
    ok: false,
    message: `not a selector (stdout, json:$.path, regex:...) nor an output of the action${known.length ? ` (it has: ${known.join(', ')})` : ''}`,
  };
}

type Path = { readonly ok: true; readonly segments: (string | number)[] } | { readonly ok: false; readonly message: string };

/** `$.a.b[0]`, `$['a key'][2]`, `a.b` (the `$` is optional). */
export function parseJsonPath(source: string): Path {
  const text = source.trim();
  const segments: (string | number)[] = [];
  let i = text.startsWith('$') ? 1 : 0;
  if (i === 0 && text.length > 0 && text[0] !== '.' && text[0] !== '[') {
    const word = /^[A-Za-z_][\w-]*/.exec(text);
    if (!word) return { ok: false, message: `cannot read JSON path ${JSON.stringify(source)}` };
    segments.push(word[0]);
    i = word[0].length;
  }
  while (i < text.length) {
    const rest = text.slice(i);
    const dot = /^\.([A-Za-z_][\w-]*)/.exec(rest);
    const index = /^\[(\d+)\]/.exec(rest);
    const quoted = /^\[(['"])(.*?)\1\]/.exec(rest);
    if (dot?.[1] !== undefined) segments.push(dot[1]);
    else if (index?.[1] !== undefined) segments.push(Number(index[1]));
    else if (quoted?.[2] !== undefined) segments.push(quoted[2]);
    else return { ok: false, message: `cannot read JSON path ${JSON.stringify(source)} at ${JSON.stringify(rest)}` };
    i += (dot ?? index ?? quoted)![0].length;
  }
  return { ok: true, segments };
}

function walk(document: unknown, segments: readonly (string | number)[], path: string): One {
  let current: unknown = document;
  for (const [position, segment] of segments.entries()) {
    const here = current as Record<string | number, unknown> | null;
    const found =
      typeof segment === 'number' ? Array.isArray(here) && segment < here.length : here !== null && typeof here === 'object' && !Array.isArray(here) && Object.hasOwn(here, segment);
    if (!found) return { ok: false, message: `${path}: nothing at ${describePath(segments.slice(0, position + 1))}` };
    current = (here as Record<string | number, unknown>)[segment];
  }
  return { ok: true, value: current };
}

function describePath(segments: readonly (string | number)[]): string {
  return '$' + segments.map((s) => (typeof s === 'number' ? `[${s}]` : `.${s}`)).join('');
}

/**
 * A failed step's outputs (`finally` steps read them): what the action returned, plus each
 * selector that names one of those outputs. Text selectors have no text to read after a failure.
 */
export function failedOutputs(selectors: Readonly<Record<string, string>>, outputs: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...outputs };
  for (const [name, selector] of Object.entries(selectors)) if (Object.hasOwn(outputs, selector)) out[name] = outputs[selector];
  return out;
}
