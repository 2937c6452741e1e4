import { isAlias, isMap, isScalar, isSeq, type Document } from 'yaml';
import { conditionSource } from '../../expr/evaluate';
import { scanTemplate } from '../../expr/template';
import type { Path } from '../locate';

/** One `${{ }}` (or a bare `when` condition) with where it sits in the file. */
export interface ExpressionSite {
  readonly path: Path;
  /** The CEL source. */
  readonly source: string;
  /** File offset of `source`, when it could be found verbatim in the file; else the scalar's start. */
  readonly offset: number;
  readonly end: number;
  /** Set when the template itself is malformed (unterminated `${{`). */
  readonly templateError?: string;
}

/** Every expression in the document: `${{ }}` in any string, and each step's `when`. */
export function collectExpressions(doc: Document, text: string): ExpressionSite[] {
  const out: ExpressionSite[] = [];
  const visit = (node: unknown, path: Path): void => {
    if (isAlias(node)) return;
    if (isMap(node)) {
      for (const pair of node.items) if (isScalar(pair.key)) visit(pair.value, [...path, String(pair.key.value)]);
      return;
    }
    if (isSeq(node)) {
      node.items.forEach((item, i) => visit(item, [...path, i]));
      return;
    }
    if (!isScalar(node) || typeof node.value !== 'string' || !node.range) return;
    const value = node.value;
    const [start, end] = node.range;
    const raw = text.slice(start, end);
    const locate = (source: string, from = 0) => {
      const at = raw.indexOf(source, from);
      return at >= 0 ? { offset: start + at, end: start + at + source.length } : { offset: start, end };
    };
    if (isWhen(path)) {
      const source = conditionSource(value);
      out.push({ path, source, ...locate(source) });
      return;
    }
    if (!value.includes('${{')) return;
    const scan = scanTemplate(value);
    if (!scan.ok) {
      const at = raw.indexOf('${{');
      out.push({ path, source: value, offset: at >= 0 ? start + at : start, end, templateError: scan.message });
      return;
    }
    let from = 0;
    for (const part of scan.parts) {
      if (part.kind !== 'expr') continue;
      const where = locate(part.source, from);
      from = Math.max(from, where.end - start);
      out.push({ path, source: part.source, ...where });
    }
  };
  visit(doc.contents, []);
  return out;
}

function isWhen(path: Path): boolean {
  return path.length === 3 && (path[0] === 'steps' || path[0] === 'finally') && path[2] === 'when';
}
