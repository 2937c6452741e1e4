/**
 * A result as an aligned text table for the step's live output, so the person running a check
 * sees the numbers it judged. Long results show their first `maxRows` rows and a count.
 */
export function formatTable(fields: readonly string[], rows: readonly Record<string, unknown>[], maxRows = 20, maxWidth = 60): string[] {
  if (fields.length === 0) return [];
  const shown = rows.slice(0, maxRows).map((row) => fields.map((field) => cell(row[field], maxWidth)));
  const widths = fields.map((field, i) => Math.max(field.length, ...shown.map((cells) => (cells[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((text, i) => text.padEnd(widths[i] ?? 0)).join(' | ').trimEnd();
  const out = [line(fields), widths.map((w) => '-'.repeat(w)).join('-+-'), ...shown.map(line)];
  if (rows.length > shown.length) out.push(`… ${rows.length - shown.length} more row(s)`);
  out.push(`(${rows.length} row${rows.length === 1 ? '' : 's'})`);
  return out;
}

function cell(value: unknown, maxWidth: number): string {
  const text = value === null || value === undefined ? 'NULL' : typeof value === 'string' ? value : JSON.stringify(value);
  const flat = text.replace(/\s*\n\s*/g, ' ');
  return flat.length > maxWidth ? `${flat.slice(0, maxWidth - 1)}…` : flat;
}
