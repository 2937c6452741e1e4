import type { CustomTypesConfig } from 'pg';

/** Type OIDs whose text we parse ourselves (see `pg_type`). */
const INT8 = 20;
const NUMERIC = 1700;
const DATE = 1082;
const TIMESTAMP = 1114;
const INTERVAL = 1186;

/**
 * Outputs are journaled as JSON and read by CEL, so values are plain: `count(*)` (int8) and
 * numeric become numbers while that loses nothing (else they stay text), dates and intervals stay
 * the server's text, timestamptz becomes an ISO string (in `normalizeValue`).
 */
export function typeParsers(fallback: CustomTypesConfig): CustomTypesConfig {
  return {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
      if (format === undefined || format === 'text') {
        switch (oid) {
          case INT8:
            return (text: string) => {
              const n = Number(text);
              return Number.isSafeInteger(n) ? n : text;
            };
          case NUMERIC:
            return (text: string) => (isExactDouble(text) ? Number(text) : text);
          case DATE:
          case TIMESTAMP:
          case INTERVAL:
            return (text: string) => text;
        }
      }
      return fallback.getTypeParser(oid, format);
    }) as CustomTypesConfig['getTypeParser'],
  };
}

/** At most 15 significant digits: a double holds them exactly. */
function isExactDouble(text: string): boolean {
  if (!/^-?\d+(\.\d+)?$/.test(text)) return false;
  const digits = text.replace(/^-/, '').replace('.', '').replace(/^0+/, '');
  return digits.length <= 15;
}

/** Makes a row value JSON-safe: dates as ISO text, bytes as `\x…` hex. */
export function normalizeValue(value: unknown): unknown {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? String(value) : value.toISOString();
  if (Buffer.isBuffer(value)) return `\\x${value.toString('hex')}`;
  if (Array.isArray(value)) return value.map(normalizeValue);
  return value;
}

export function normalizeRow(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) out[key] = normalizeValue(value);
  return out;
}
