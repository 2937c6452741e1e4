import { isAlias, isMap, isScalar, isSeq, type Document, type Node } from 'yaml';
import type { SourceRange } from './diagnostics';
import type { SourceFile } from './source-file';

export type Path = readonly (string | number)[];

/**
 * Finds the YAML node at a path, for messages: `['steps', 2, 'needs', 0]`. `key` returns the
 * key of the last segment (`needs:` itself) instead of its value. Falls back to the nearest
 * existing parent, so a message always has a place.
 */
export class Locator {
  constructor(
    readonly doc: Document,
    readonly source: SourceFile,
  ) {}

  node(path: Path, part: 'value' | 'key' = 'value'): Node | undefined {
    let node: unknown = this.doc.contents;
    let last: unknown = node;
    for (let i = 0; i < path.length; i++) {
      const segment = path[i];
      node = this.resolve(node);
      let next: unknown;
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
        if (!pair) return last as Node | undefined;
        next = i === path.length - 1 && part === 'key' ? pair.key : pair.value;
        if (next === null || next === undefined) next = pair.key;
      } else if (isSeq(node) && typeof segment === 'number') {
        next = node.items[segment];
      }
      if (next === undefined || next === null) return last as Node | undefined;
      node = next;
      last = next;
    }
    return last as Node | undefined;
  }

  range(path: Path, part: 'value' | 'key' = 'value'): SourceRange {
    const node = this.node(path, part) as { range?: [number, number, number] } | undefined;
    return node?.range ? this.source.range(node.range[0], node.range[1]) : this.source.range(0, 0);
  }

  /** From the key to the end of the value: `shell: make deploy`. */
  pairRange(path: Path): SourceRange {
    const key = this.node(path, 'key') as { range?: [number, number, number] } | undefined;
    const value = this.node(path, 'value') as { range?: [number, number, number] } | undefined;
    if (!key?.range) return this.range(path);
    return this.source.range(key.range[0], Math.max(key.range[1], value?.range?.[1] ?? 0));
  }

  private resolve(node: unknown): unknown {
    let current = node;
    for (let depth = 0; isAlias(current) && depth < 10; depth++) current = current.resolve(this.doc);
    return current;
  }
}
