import { relative, isAbsolute } from 'node:path';
import type { SourceRange } from './diagnostics';

/** A file's text with line starts, turning offsets into `file:line:col` ranges. */
export class SourceFile {
  private readonly lineStarts: number[] = [0];

  constructor(
    /** The path shown in messages (relative to the working directory when inside it). */
    readonly file: string,
    readonly text: string,
  ) {
    for (let i = 0; i < text.length; i++) if (text[i] === '\n') this.lineStarts.push(i + 1);
  }

  range(start: number, end = start): SourceRange {
    const offset = Math.max(0, Math.min(start, this.text.length));
    const { line, col } = this.position(offset);
    return { file: this.file, line, col, offset, endOffset: Math.max(offset, Math.min(end, this.text.length)) };
  }

  position(offset: number): { line: number; col: number } {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((this.lineStarts[mid] ?? 0) <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, col: offset - (this.lineStarts[low] ?? 0) + 1 };
  }
}

/** `runbooks/deploy.yaml` for a file under the working directory, else the absolute path. */
export function displayPath(absolute: string, cwd = process.cwd()): string {
  const rel = relative(cwd, absolute);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : absolute;
}
