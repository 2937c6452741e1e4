import { parseDuration } from '../../util/duration';

/**
 * Reads typed fields from an action's input after expressions were evaluated. The schema checked
 * the runbook, but `${{ }}` values arrive as whatever they evaluated to ("3" for a count), so each
 * reader accepts the obvious spellings and throws InputError naming the field otherwise.
 */
export class InputError extends Error {
  override readonly name = 'InputError';
}

export type Input = Readonly<Record<string, unknown>>;

const describe = (value: unknown) => (value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'an object' : JSON.stringify(value));

export function optStr(input: Input, key: string): string | undefined {
  const value = input[key];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new InputError(`\`${key}\` must be a string, got ${describe(value)}`);
}

export function str(input: Input, key: string): string {
  const value = optStr(input, key);
  if (value === undefined) throw new InputError(`\`${key}\` is required`);
  return value;
}

export function optInt(input: Input, key: string, range: { min?: number; max?: number } = {}): number | undefined {
  const value = input[key];
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isInteger(n)) throw new InputError(`\`${key}\` must be a whole number, got ${describe(value)}`);
  if (range.min !== undefined && n < range.min) throw new InputError(`\`${key}\` must be at least ${range.min}, got ${n}`);
  if (range.max !== undefined && n > range.max) throw new InputError(`\`${key}\` must be at most ${range.max}, got ${n}`);
  return n;
}

export function int(input: Input, key: string, range: { min?: number; max?: number } = {}): number {
  const value = optInt(input, key, range);
  if (value === undefined) throw new InputError(`\`${key}\` is required`);
  return value;
}

export function bool(input: Input, key: string, fallback: boolean): boolean {
  const value = input[key];
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new InputError(`\`${key}\` must be true or false, got ${describe(value)}`);
}

/** `wait` defaults to true; `wait: stable` (ECS) is another way to say true. */
export function waitFlag(input: Input): boolean {
  const value = input.wait;
  if (value === 'stable' || value === 'available' || value === 'insync') return true;
  return bool(input, 'wait', true);
}

export function optStrList(input: Input, key: string): string[] | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) {
    return value.map((item, i) => {
      if (typeof item === 'string') return item;
      if (typeof item === 'number' || typeof item === 'boolean') return String(item);
      throw new InputError(`\`${key}[${i}]\` must be a string, got ${describe(item)}`);
    });
  }
  throw new InputError(`\`${key}\` must be a list of strings, got ${describe(value)}`);
}

export function optObject(input: Input, key: string): Input | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'object' && !Array.isArray(value)) return value as Input;
  throw new InputError(`\`${key}\` must be a mapping, got ${describe(value)}`);
}

/** A duration written `15s`/`2m`, or a number of seconds. */
export function durationMs(input: Input, key: string, fallbackMs: number): number {
  const value = input[key];
  if (value === undefined || value === null || value === '') return fallbackMs;
  if (typeof value === 'number' && value >= 0) return value * 1000;
  if (typeof value === 'string') {
    const ms = parseDuration(value);
    if (ms !== undefined) return ms;
  }
  throw new InputError(`\`${key}\` must be a duration like 15s or 2m, got ${describe(value)}`);
}
