import { isAlias, isMap, isScalar, isSeq, type Document } from 'yaml';
import type { AdapterRegistry } from '../../adapters/types';
import { conditionSource } from '../../expr/evaluate';
import { scanTemplate } from '../../expr/template';
import { unreachable } from '../../util/unreachable';
import type { Path } from '../locate';
import type { SchemaNode, StringNode } from '../schema-dsl';

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
  /**
   * A bare condition an adapter evaluates over its own names (`expect.json` of `http`,
   * `expect.expr` of `sql`): these names, instead of the runbook's contexts.
   */
  readonly variables?: readonly string[];
}

/**
 * Every expression in the document: `${{ }}` in any string, each step's `when`, and the bare
 * conditions of adapter inputs marked `format: 'expression'` (when given the registry).
 */
export function collectExpressions(doc: Document, text: string, registry?: AdapterRegistry): ExpressionSite[] {
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
    if (!value.includes('${{')) {
      const bare = registry ? adapterCondition(path, registry) : undefined;
      const source = value.trim();
      if (bare && source !== '') out.push({ path, source, ...locate(source), variables: bare.variables ?? [] });
      return;
    }
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

/** The input field at `steps.N.<action>.…` (or `….undo.<action>.…`) when it is a bare adapter condition. */
function adapterCondition(path: Path, registry: AdapterRegistry): StringNode | undefined {
  if ((path[0] !== 'steps' && path[0] !== 'finally') || typeof path[1] !== 'number') return undefined;
  const at = path[2] === 'undo' ? 3 : 2;
  const definition = typeof path[at] === 'string' ? registry.get(path[at]) : undefined;
  if (!definition) return undefined;
  let nodes: SchemaNode[] = [definition.schema];
  for (const segment of path.slice(at + 1)) nodes = expand(nodes).flatMap((node) => child(node, segment));
  const last = expand(nodes).flatMap((node) => (node.kind === 'object' && node.shortForm !== undefined && node.properties[node.shortForm] ? [node, node.properties[node.shortForm] as SchemaNode] : [node]));
  return last.find((node): node is StringNode => node.kind === 'string' && node.format === 'expression');
}

function expand(nodes: readonly SchemaNode[]): SchemaNode[] {
  return nodes.flatMap((node) => (node.kind === 'oneOf' ? expand(node.options) : [node]));
}

function child(node: SchemaNode, segment: string | number): SchemaNode[] {
  switch (node.kind) {
    case 'object': {
      const property = typeof segment === 'string' ? node.properties[segment] : undefined;
      return property ? [property] : [];
    }
    case 'map':
      return [node.values];
    case 'array':
      return typeof segment === 'number' ? [node.items] : [];
    case 'oneOf':
      return expand(node.options).flatMap((option) => child(option, segment));
    case 'string':
    case 'number':
    case 'boolean':
    case 'any':
      return [];
    default:
      return unreachable(node);
  }
}
