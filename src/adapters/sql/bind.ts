/**
 * A value never becomes SQL (DESIGN.md §3 Injection). The engine hands `sql.query` over the way it
 * hands over a shell script (but without shell quoting rules): each `${{ }}` replaced by a reference `${OPSCTL_Bn}` whose value is
 * in the step's environment. Here each reference becomes a bind parameter (`$3` after the two
 * `params:`), so `select * from t where name = ${{ params.name }}` runs as
 * `select * from t where name = $1` with the value bound, whatever it holds.
 *
 * Names (a table, a schema) cannot be bound: they go in `identifiers:` and are written
 * `:"name"` in the query (psql's spelling), and become double-quoted identifiers.
 *
 * A reference inside a quoted string, a quoted name, a dollar-quoted body or a comment is refused:
 * `'${{ x }}'` would be the text `$1`, not the value (write it bare: `${{ x }}`).
 */

export interface BoundQuery {
  /** The SQL as it runs. */
  readonly sql: string;
  /** `params:` followed by the values of the query's expressions. */
  readonly params: readonly unknown[];
  /** How many of `params` came from expressions in the query. */
  readonly fromQuery: number;
}

export type BindResult = { readonly ok: true; readonly value: BoundQuery } | { readonly ok: false; readonly message: string };

/** `${OPSCTL_B1}` as the engine writes a bind field (`bindFields`). */
const REFERENCE = /^\$\{(OPSCTL_B[0-9]+)\}/;
/** `:"name"`: an entry of `identifiers:`. */
const IDENTIFIER = /^:"([A-Za-z_][A-Za-z0-9_]*)"/;

type Where = 'a quoted string' | 'a quoted name' | 'a dollar-quoted body' | 'a comment';

/**
 * The query with its expression references bound and its `:"name"` identifiers filled in.
 * `values` holds the values of the references (the step's environment).
 */
export function bindQuery(
  query: string,
  params: readonly unknown[],
  values: Readonly<Record<string, string | undefined>>,
  identifiers: Readonly<Record<string, string | readonly string[]>> = {},
): BindResult {
  const bound: unknown[] = [...params];
  const numbers = new Map<string, number>();
  const problems: string[] = [];
  let out = '';
  let i = 0;
  const n = query.length;
  /** Copies a quoted or commented span, refusing references inside it. */
  const span = (end: number, where: Where) => {
    const text = query.slice(i, end);
    const inside = /\$\{OPSCTL_B[0-9]+\}/.exec(text);
    if (inside) problems.push(`an expression sits inside ${where} of \`sql.query\`, where it would be the text $n, not its value: write it bare (\`= \${{ … }}\`, no quotes around it): opsctl binds its value as a parameter`);
    out += text;
    i = end;
  };
  while (i < n) {
    const rest = query.slice(i);
    const c = query[i] ?? '';
    const next = query[i + 1] ?? '';
    const reference = REFERENCE.exec(rest);
    if (reference) {
      const name = reference[1] ?? '';
      let number = numbers.get(name);
      if (number === undefined) {
        bound.push(values[name] ?? '');
        number = bound.length;
        numbers.set(name, number);
      }
      out += `$${number}`;
      i += reference[0].length;
      continue;
    }
    const identifier = IDENTIFIER.exec(rest);
    if (identifier) {
      const name = identifier[1] ?? '';
      const value = identifiers[name];
      if (value === undefined) {
        problems.push(`\`:"${name}"\` in \`sql.query\` is not under \`identifiers:\`${Object.keys(identifiers).length ? ` (there: ${Object.keys(identifiers).join(', ')})` : ''}`);
      } else {
        const quoted = quoteIdentifiers(name, value);
        if (quoted.ok) out += quoted.text;
        else problems.push(quoted.message);
      }
      i += identifier[0].length;
      continue;
    }
    if (c === '-' && next === '-') {
      const end = query.indexOf('\n', i);
      span(end === -1 ? n : end, 'a comment');
    } else if (c === '/' && next === '*') {
      let depth = 0;
      let j = i;
      while (j < n) {
        if (query[j] === '/' && query[j + 1] === '*') {
          depth++;
          j += 2;
        } else if (query[j] === '*' && query[j + 1] === '/') {
          depth--;
          j += 2;
          if (depth === 0) break;
        } else j++;
      }
      span(j, 'a comment');
    } else if (c === "'" || ((c === 'e' || c === 'E') && next === "'" && !/[A-Za-z0-9_$]/.test(query[i - 1] ?? ''))) {
      const backslashEscapes = c !== "'";
      let j = i + (backslashEscapes ? 2 : 1);
      while (j < n) {
        if (backslashEscapes && query[j] === '\\') j += 2;
        else if (query[j] === "'" && query[j + 1] === "'") j += 2;
        else if (query[j] === "'") {
          j++;
          break;
        } else j++;
      }
      span(Math.min(j, n), 'a quoted string');
    } else if (c === '"') {
      let j = i + 1;
      while (j < n) {
        if (query[j] === '"' && query[j + 1] === '"') j += 2;
        else if (query[j] === '"') {
          j++;
          break;
        } else j++;
      }
      span(Math.min(j, n), 'a quoted name');
    } else if (c === '$' && /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.test(rest) && !/[A-Za-z0-9_]/.test(query[i - 1] ?? '')) {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(rest)?.[0] ?? '$$';
      const close = query.indexOf(tag, i + tag.length);
      span(close === -1 ? n : close + tag.length, 'a dollar-quoted body');
    } else {
      out += c;
      i++;
    }
  }
  if (problems.length) return { ok: false, message: [...new Set(problems)].join('; ') };
  return { ok: true, value: { sql: out, params: bound, fromQuery: bound.length - params.length } };
}

/**
 * An `identifiers:` value as SQL: `public.orders` → `"public"."orders"`; several names
 * (a list, or a comma-separated string) → `"a", "b"`.
 */
export function quoteIdentifiers(name: string, value: string | readonly string[]): { ok: true; text: string } | { ok: false; message: string } {
  const names = (typeof value === 'string' ? value.split(',') : value).map((item) => item.trim());
  if (names.length === 0 || names.some((item) => item === '')) return { ok: false, message: `\`identifiers.${name}\` is empty or holds an empty name` };
  const quoted: string[] = [];
  for (const item of names) {
    const parts = item.split('.');
    if (parts.some((part) => part === '')) return { ok: false, message: `\`identifiers.${name}\`: \`${item}\` is not a name (schema.table at most)` };
    quoted.push(parts.map((part) => `"${part.replace(/"/g, '""')}"`).join('.'));
  }
  return { ok: true, text: quoted.join(', ') };
}
