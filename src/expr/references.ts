import type { ASTNode } from './cel';

/**
 * A context read by an expression: `params.version` is `{ root: 'params', path: ['version'] }`.
 * Offsets are within the expression source. Variables bound by macros (`r` in
 * `rows.all(r, r.x > 1)`) and `cel.bind` are not references.
 */
export interface Reference {
  readonly root: string;
  readonly path: readonly string[];
  readonly start: number;
  readonly end: number;
}

/** A function call in the expression (`success()`, `size(x)`, receiver calls excluded). */
export interface CallReference {
  readonly name: string;
  readonly start: number;
  readonly end: number;
}

const ONE_VAR_MACROS = new Set(['map', 'filter', 'sortBy']);
const TWO_VAR_MACROS = new Set(['all', 'exists', 'exists_one', 'existsOne', 'transformList', 'transformMap', 'transformMapEntry']);

export function extractReferences(ast: ASTNode): { references: Reference[]; calls: CallReference[] } {
  const references: Reference[] = [];
  const calls: CallReference[] = [];

  const walk = (node: ASTNode, bound: ReadonlySet<string>): void => {
    switch (node.op) {
      case 'value':
        return;
      case 'id':
        if (!bound.has(node.args)) references.push({ root: node.args, path: [], start: node.start, end: node.end });
        return;
      case '.':
      case '.?':
      case '[]':
      case '[?]': {
        const path: string[] = [];
        let base: ASTNode = node;
        for (;;) {
          if (base.op === '.' || base.op === '.?') {
            path.unshift(base.args[1]);
            base = base.args[0];
          } else if ((base.op === '[]' || base.op === '[?]') && base.args[1].op === 'value' && typeof base.args[1].args === 'string') {
            path.unshift(base.args[1].args);
            base = base.args[0];
          } else break;
        }
        if (base.op === 'id') {
          if (!bound.has(base.args)) references.push({ root: base.args, path, start: node.start, end: node.end });
        } else if (base !== node) walk(base, bound);
        else if (node.op === '[]' || node.op === '[?]') {
          walk(node.args[0], bound);
          walk(node.args[1], bound);
        }
        return;
      }
      case 'call': {
        const [name, args] = node.args;
        calls.push({ name, start: node.start, end: node.end });
        for (const arg of args) walk(arg, bound);
        return;
      }
      case 'rcall': {
        const [name, receiver, args] = node.args;
        if (name === 'bind' && receiver.op === 'id' && receiver.args === 'cel' && args.length === 3 && args[0]?.op === 'id') {
          walk(args[1] as ASTNode, bound);
          walk(args[2] as ASTNode, new Set([...bound, args[0].args]));
          return;
        }
        walk(receiver, bound);
        const names = macroVariables(name, args);
        const inner = names.length ? new Set([...bound, ...names]) : bound;
        args.forEach((arg, i) => {
          if (i < names.length) return;
          walk(arg, inner);
        });
        return;
      }
      case 'list':
        for (const item of node.args) walk(item, bound);
        return;
      case 'map':
        for (const [key, value] of node.args) {
          walk(key, bound);
          walk(value, bound);
        }
        return;
      case '!_':
      case '-_':
        walk(node.args, bound);
        return;
      default:
        for (const child of node.args) walk(child, bound);
    }
  };

  walk(ast, new Set());
  return { references, calls };
}

/** The variable names a macro call binds (its leading identifier arguments). */
function macroVariables(name: string, args: readonly ASTNode[]): string[] {
  const ids = (count: number) => {
    const out: string[] = [];
    for (let i = 0; i < count; i++) {
      const arg = args[i];
      if (arg?.op !== 'id') return out;
      out.push(arg.args);
    }
    return out;
  };
  if (ONE_VAR_MACROS.has(name) && args.length >= 2) return ids(1);
  if (TWO_VAR_MACROS.has(name)) {
    if (args.length === 2) return ids(1);
    if (args.length >= 3) return ids(2);
  }
  return [];
}
