import { isUnknown } from '../../expr/unknown';
import { parseDuration } from '../../util/duration';

/**
 * Reads an action's input after the engine filled in its `${{ }}` values. The loader checked the
 * written YAML against the schema, but an expression can still yield the wrong type at run time
 * (`${{ params.n }}` where a list was expected), so every adapter reads its input through this
 * and turns a problem into an `invalid-input` outcome instead of a crash.
 */
export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

export class InputReader {
  readonly problems: string[] = [];

  constructor(
    private readonly kind: string,
    private readonly input: Readonly<Record<string, unknown>>,
  ) {}

  has(name: string): boolean {
    return this.input[name] !== undefined && this.input[name] !== null;
  }

  raw(name: string): unknown {
    return this.input[name];
  }

  string(name: string): string | undefined {
    const value = this.input[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string') return value;
    // A plan (dry-run) gets values of steps that have not run as Unknown markers: shown as `<unknown: …>`.
    if (isUnknown(value)) return value.display;
    if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
    return this.problem(name, 'a string', value);
  }

  requiredString(name: string): string {
    const value = this.string(name);
    if (value === undefined) this.problems.push(`\`${this.kind}\` needs \`${name}\``);
    return value ?? '';
  }

  number(name: string, o: { integer?: boolean; min?: number } = {}): number | undefined {
    const value = this.input[name];
    if (value === undefined || value === null) return undefined;
    const n = typeof value === 'number' ? value : typeof value === 'bigint' ? Number(value) : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
    if (!Number.isFinite(n) || (o.integer && !Number.isInteger(n))) return this.problem(name, o.integer ? 'an integer' : 'a number', value);
    if (o.min !== undefined && n < o.min) return this.problem(name, `at least ${o.min}`, value);
    return n;
  }

  boolean(name: string): boolean | undefined {
    const value = this.input[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'boolean') return value;
    if (value === 'true' || value === 'false') return value === 'true';
    return this.problem(name, 'true or false', value);
  }

  /** A duration: `30s`, `1m30s`, `250ms`; a bare number counts seconds (as seed 000's HealthCheck does). */
  durationMs(name: string): number | undefined {
    const value = this.input[name];
    if (value === undefined || value === null) return undefined;
    const ms = toDurationMs(value);
    return ms === undefined ? this.problem(name, 'a duration like `30s` or `1m30s`', value) : ms;
  }

  stringList(name: string): string[] | undefined {
    const value = this.input[name];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value)) return this.problem(name, 'a list', value);
    const out: string[] = [];
    for (const item of value) {
      if (typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean' || typeof item === 'bigint') out.push(String(item));
      else return this.problem(name, 'a list of strings', value);
    }
    return out;
  }

  /** A map of scalars, as strings (`env`, `headers`). */
  stringMap(name: string): Record<string, string> | undefined {
    const value = this.input[name];
    if (value === undefined || value === null) return undefined;
    if (!isRecord(value)) return this.problem(name, 'a map', value);
    const out: Record<string, string> = {};
    for (const [key, item] of Object.entries(value)) {
      if (item === undefined || item === null) continue;
      if (typeof item === 'object') return this.problem(`${name}.${key}`, 'a string', item);
      out[key] = String(item);
    }
    return out;
  }

  record(name: string): Record<string, unknown> | undefined {
    const value = this.input[name];
    if (value === undefined || value === null) return undefined;
    return isRecord(value) ? value : this.problem(name, 'a map', value);
  }

  oneOf<T extends string>(name: string, values: readonly T[]): T | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    const found = values.find((v) => v.toLowerCase() === value.toLowerCase());
    return found ?? this.problem(name, `one of ${values.join(', ')}`, value);
  }

  /** Adds a problem found by the adapter's own cross-field checks. */
  fail(message: string): void {
    this.problems.push(message);
  }

  done<T>(value: T): Parsed<T> {
    return this.problems.length === 0 ? { ok: true, value } : { ok: false, message: this.problems.join('; ') };
  }

  private problem(name: string, expected: string, got: unknown): undefined {
    this.problems.push(`\`${this.kind}.${name}\` must be ${expected}, got ${describe(got)}`);
    return undefined;
  }
}

export function toDurationMs(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? Math.round(value * 1000) : undefined;
  if (typeof value !== 'string') return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
  return parseDuration(value);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (isRecord(value)) return 'a map';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
