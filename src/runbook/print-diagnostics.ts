import { readFileSync } from 'node:fs';
import { createColors } from 'picocolors';
import type { Diagnostic } from './diagnostics';

export interface FormatOptions {
  readonly color: boolean;
  /** File texts by the `file` of their diagnostics; a file not given is read from disk. */
  readonly sources?: ReadonlyMap<string, string>;
}

/**
 * `file:line:col: error: message [code]`, the source line, a caret under the bad part, and the
 * hint — for every diagnostic, in the order given.
 */
export function formatDiagnostics(diagnostics: readonly Diagnostic[], options: FormatOptions): string {
  const c = createColors(options.color);
  const texts = new Map<string, string | undefined>();
  const textOf = (file: string): string | undefined => {
    if (!texts.has(file)) texts.set(file, options.sources?.get(file) ?? readQuietly(file));
    return texts.get(file);
  };
  return diagnostics
    .map((d) => {
      const { file, line, col } = d.range;
      const label = d.severity === 'error' ? c.bold(c.red('error')) : c.bold(c.yellow('warning'));
      const lines = [`${c.bold(`${file}:${line}:${col}`)}: ${label}: ${d.message} ${c.dim(`[${d.code}]`)}`];
      const sourceLine = textOf(file)?.split('\n')[line - 1]?.replace(/\r$/, '');
      if (sourceLine !== undefined && (sourceLine.trim() !== '' || d.range.endOffset > d.range.offset)) {
        const gutter = String(line).length;
        const width = Math.max(1, Math.min(d.range.endOffset - d.range.offset, sourceLine.length - (col - 1)));
        const pad = sourceLine.slice(0, col - 1).replace(/[^\t]/g, ' ');
        lines.push(`${c.dim(`${String(line)} |`)} ${sourceLine}`);
        lines.push(`${' '.repeat(gutter)} ${c.dim('|')} ${pad}${(d.severity === 'error' ? c.red : c.yellow)('^'.repeat(width))}`);
      }
      if (d.hint) lines.push(`${c.cyan('hint')}: ${d.hint}`);
      return lines.join('\n');
    })
    .join('\n\n');
}

/** "2 errors, 1 warning" (or "no problems"). */
export function summarize(diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  if (diagnostics.length === 0) return 'no problems';
  const parts = [errors ? `${errors} error${errors === 1 ? '' : 's'}` : '', warnings ? `${warnings} warning${warnings === 1 ? '' : 's'}` : ''];
  return parts.filter(Boolean).join(', ');
}

function readQuietly(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
