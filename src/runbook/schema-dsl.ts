import { unreachable } from '../util/unreachable';

/**
 * The one definition of the runbook format. The validator walks these nodes over the parsed
 * YAML (with ranges) and the JSON Schema generator turns them into `opsctl schema` output, so the
 * two can never disagree. Adapters describe their inputs with the same builders.
 */
export type SchemaNode =
  | StringNode
  | NumberNode
  | BooleanNode
  | ArrayNode
  | ObjectNode
  | MapNode
  | OneOfNode
  | AnyNode;

interface Described {
  readonly description?: string;
}

export interface StringNode extends Described {
  readonly kind: 'string';
  /** Allowed values (an enum). */
  readonly values?: readonly string[];
  /** A regular expression the value must match (checked only when it holds no `${{ }}`). */
  readonly pattern?: string;
  /** Special formats checked by the validator: a duration like `30s`, a kebab-case name, a step id. */
  readonly format?: 'duration' | 'name' | 'id' | 'expression';
  /**
   * `format: 'expression'` in an adapter's input: a bare CEL condition the adapter evaluates over
   * these names (`json`, `status` …). The loader checks its syntax and that it reads only them.
   */
  readonly variables?: readonly string[];
  /** Read when the runbook loads, not at run time: a `${{ }}` here is refused rather than ignored. */
  readonly literal?: boolean;
  /** What to write instead, when a mapping or list is given (e.g. `json:` for a request body). */
  readonly notStringHint?: string;
}

export interface NumberNode extends Described {
  readonly kind: 'number';
  readonly integer?: boolean;
  readonly min?: number;
  readonly max?: number;
  /** Read when the runbook loads, not at run time: a `${{ }}` here is refused rather than ignored. */
  readonly literal?: boolean;
}

export interface BooleanNode extends Described {
  readonly kind: 'boolean';
  /** Read when the runbook loads, not at run time: a `${{ }}` here is refused rather than ignored. */
  readonly literal?: boolean;
}

export interface ArrayNode extends Described {
  readonly kind: 'array';
  readonly items: SchemaNode;
  readonly minItems?: number;
}

export interface ObjectNode extends Described {
  readonly kind: 'object';
  readonly properties: Readonly<Record<string, SchemaNode>>;
  readonly required?: readonly string[];
  /**
   * A scalar given in place of the object stands for this property:
   * `shell: TEXT` is `shell: { run: TEXT }`, `wait: 30s` is `wait: { duration: 30s }`.
   */
  readonly shortForm?: string;
}

/** An object with arbitrary keys (env, vars, params) whose values all follow one schema. */
export interface MapNode extends Described {
  readonly kind: 'map';
  readonly values: SchemaNode;
  /** A pattern every key must match. */
  readonly keyPattern?: string;
}

export interface OneOfNode extends Described {
  readonly kind: 'oneOf';
  readonly options: readonly SchemaNode[];
}

export interface AnyNode extends Described {
  readonly kind: 'any';
}

type Opts<T> = Omit<T, 'kind'>;

export const s = {
  string: (o: Opts<StringNode> = {}): StringNode => ({ kind: 'string', ...o }),
  duration: (description?: string): StringNode => ({ kind: 'string', format: 'duration', ...(description ? { description } : {}) }),
  enumOf: (values: readonly string[], description?: string): StringNode => ({ kind: 'string', values, ...(description ? { description } : {}) }),
  number: (o: Opts<NumberNode> = {}): NumberNode => ({ kind: 'number', ...o }),
  integer: (o: Opts<NumberNode> = {}): NumberNode => ({ kind: 'number', integer: true, ...o }),
  boolean: (description?: string): BooleanNode => ({ kind: 'boolean', ...(description ? { description } : {}) }),
  array: (items: SchemaNode, o: Opts<Omit<ArrayNode, 'items'>> = {}): ArrayNode => ({ kind: 'array', items, ...o }),
  object: (properties: Record<string, SchemaNode>, o: Opts<Omit<ObjectNode, 'properties'>> = {}): ObjectNode => ({
    kind: 'object',
    properties,
    ...o,
  }),
  map: (values: SchemaNode, o: Opts<Omit<MapNode, 'values'>> = {}): MapNode => ({ kind: 'map', values, ...o }),
  oneOf: (options: SchemaNode[], description?: string): OneOfNode => ({ kind: 'oneOf', options, ...(description ? { description } : {}) }),
  any: (description?: string): AnyNode => ({ kind: 'any', ...(description ? { description } : {}) }),
};

/**
 * The same schema with every scalar marked `literal`: for fields the loader reads itself
 * (timeouts, retry policy, params …), where an expression could never be evaluated.
 */
export function literal<T extends SchemaNode>(node: T): T {
  return markLiteral(node) as T;
}

function markLiteral(node: SchemaNode): SchemaNode {
  switch (node.kind) {
    case 'string':
    case 'number':
    case 'boolean':
      return { ...node, literal: true };
    case 'array':
      return { ...node, items: markLiteral(node.items) };
    case 'object':
      return { ...node, properties: Object.fromEntries(Object.entries(node.properties).map(([key, child]) => [key, markLiteral(child)])) };
    case 'map':
      return { ...node, values: markLiteral(node.values) };
    case 'oneOf':
      return { ...node, options: node.options.map(markLiteral) };
    case 'any':
      return node;
    default:
      return unreachable(node);
  }
}
