/**
 * The small JSON path subset expectations use: `$.a.b[0].c`, `a.b`, `$['odd key']`, `$.list[-1]`.
 * Returns `{ found: false }` when any segment is missing, so "absent" and "null" differ.
 */
export type PathResult = { readonly found: true; readonly value: unknown } | { readonly found: false };

export function parsePath(path: string): (string | number)[] | undefined {
  let rest = path.trim();
  if (rest.startsWith('$')) rest = rest.slice(1);
  const segments: (string | number)[] = [];
  const token = /^(?:\.([A-Za-z_$][\w$-]*)|\[(-?\d+)\]|\[(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")\]|([A-Za-z_$][\w$-]*))/;
  let first = true;
  while (rest !== '') {
    const match = token.exec(rest);
    if (!match || (match[5] !== undefined && !first)) return undefined;
    const [whole, dotted, index, single, double, bare] = match;
    if (index !== undefined) segments.push(Number(index));
    else segments.push(dotted ?? single ?? double ?? bare ?? '');
    rest = rest.slice(whole.length);
    first = false;
  }
  return segments;
}

export function getPath(value: unknown, path: string): PathResult {
  const segments = parsePath(path);
  if (!segments) return { found: false };
  let current: unknown = value;
  for (const segment of segments) {
    if (typeof segment === 'number') {
      if (!Array.isArray(current)) return { found: false };
      const index = segment < 0 ? current.length + segment : segment;
      if (index < 0 || index >= current.length) return { found: false };
      current = current[index];
    } else {
      if (typeof current !== 'object' || current === null || Array.isArray(current) || !Object.hasOwn(current, segment)) return { found: false };
      current = (current as Record<string, unknown>)[segment];
    }
  }
  return { found: true, value: current };
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (typeof a === 'bigint' || typeof b === 'bigint') return Number(a) === Number(b);
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  if (typeof a === 'object' && typeof b === 'object' && a !== null && b !== null && !Array.isArray(a) && !Array.isArray(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((key) => deepEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
  }
  return false;
}
