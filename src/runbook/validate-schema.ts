import { isAlias, isMap, isScalar, isSeq, type Document, type Node, type Pair, type Scalar } from 'yaml';
import { parseDuration } from '../util/duration';
import { hasExpression } from '../expr/template';
import { unreachable } from '../util/unreachable';
import type { Diagnostic } from './diagnostics';
import { didYouMeanHint } from './did-you-mean';
import type { BooleanNode, NumberNode, SchemaNode, StringNode } from './schema-dsl';
import type { SourceFile } from './source-file';

/**
 * Walks a schema over parsed YAML nodes and reports every mismatch at the node that has it.
 * Where a number or boolean is expected, a string holding `${{ }}` is accepted (it is decided
 * at run time). The same schema nodes generate the JSON Schema, so the two never disagree.
 */
export interface SchemaCheck {
  readonly source: SourceFile;
  readonly doc: Document;
  readonly diagnostics: Diagnostic[];
}

export const NAME_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
export const ID_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function validateNode(check: SchemaCheck, node: unknown, schema: SchemaNode, path: string, parent?: Node): void {
  const target = resolveAlias(check, node);
  const error = (code: string, message: string, at: unknown = target, hint?: string) => report(check, code, message, at ?? parent, hint);

  switch (schema.kind) {
    case 'any':
      return;
    case 'string': {
      if (!isScalar(target) || !(typeof target.value === 'string' || typeof target.value === 'number')) {
        const hint = schema.notStringHint !== undefined && (isMap(target) || isSeq(target)) ? schema.notStringHint : undefined;
        return error('wrong-type', `${name(path)} must be ${schema.values ? `one of ${schema.values.join(', ')}` : 'a string'}, not ${describe(target)}`, target, hint);
      }
      const text = String(target.value);
      if (hasExpression(text)) return schema.literal ? literalOnly(check, schema, path, target) : undefined;
      if (schema.values && !schema.values.includes(text)) {
        return error('not-allowed', `${name(path)} must be one of ${schema.values.join(', ')}, not \`${text}\``, target, didYouMeanHint(text, schema.values));
      }
      if (schema.pattern && !new RegExp(schema.pattern).test(text)) {
        return error('pattern', `${name(path)} \`${text}\` does not match the pattern \`${schema.pattern}\``);
      }
      checkFormat(text, schema.format, path, (code, message, hint) => error(code, message, target, hint));
      return;
    }
    case 'number': {
      if (isScalar(target) && typeof target.value === 'string' && hasExpression(target.value)) return schema.literal ? literalOnly(check, schema, path, target) : undefined;
      if (!isScalar(target) || typeof target.value !== 'number') {
        return error('wrong-type', `${name(path)} must be ${schema.integer ? 'an integer' : 'a number'}, not ${describe(target)}`);
      }
      const value = target.value;
      if (schema.integer && !Number.isInteger(value)) return error('wrong-type', `${name(path)} must be an integer, not ${value}`);
      if (schema.min !== undefined && value < schema.min) return error('too-small', `${name(path)} must be at least ${schema.min}, not ${value}`);
      if (schema.max !== undefined && value > schema.max) return error('too-large', `${name(path)} must be at most ${schema.max}, not ${value}`);
      return;
    }
    case 'boolean':
      if (isScalar(target) && typeof target.value === 'string' && hasExpression(target.value)) return schema.literal ? literalOnly(check, schema, path, target) : undefined;
      if (!isScalar(target) || typeof target.value !== 'boolean') return error('wrong-type', `${name(path)} must be true or false, not ${describe(target)}`);
      return;
    case 'array': {
      if (!isSeq(target)) return error('wrong-type', `${name(path)} must be a list, not ${describe(target)}`);
      if (schema.minItems !== undefined && target.items.length < schema.minItems) {
        return error('too-few', `${name(path)} must have at least ${schema.minItems} item${schema.minItems === 1 ? '' : 's'}`);
      }
      target.items.forEach((item, i) => validateNode(check, item, schema.items, `${path}[${i}]`, target));
      return;
    }
    case 'object': {
      if (schema.shortForm && isScalar(target)) {
        const short = schema.properties[schema.shortForm];
        if (short) return validateNode(check, target, short, path, parent);
      }
      if (!isMap(target)) return error('wrong-type', `${name(path)} must be a mapping, not ${describe(target)}`);
      const known = Object.keys(schema.properties);
      for (const pair of target.items) {
        const key = keyName(pair);
        const child = schema.properties[key];
        if (!child) {
          error('unknown-key', `unknown key \`${key}\` ${path === '' ? 'at the top level' : `in \`${path}\``}`, pair.key, didYouMeanHint(key, known) ?? synonymHint(key, known));
          continue;
        }
        validateNode(check, pair.value, child, join(path, key), target);
      }
      for (const required of schema.required ?? []) {
        if (!target.items.some((pair) => keyName(pair) === required)) {
          error('missing-key', `${path === '' ? 'the runbook' : `\`${path}\``} is missing \`${required}\``, target);
        }
      }
      return;
    }
    case 'map': {
      if (!isMap(target)) return error('wrong-type', `${name(path)} must be a mapping, not ${describe(target)}`);
      for (const pair of target.items) {
        const key = keyName(pair);
        if (schema.keyPattern && !new RegExp(schema.keyPattern).test(key)) {
          error('bad-key', `\`${key}\` is not a valid name in ${name(path)}`, pair.key, `names match \`${schema.keyPattern}\``);
          continue;
        }
        validateNode(check, pair.value, schema.values, join(path, key), target);
      }
      return;
    }
    case 'oneOf': {
      const attempts = schema.options.map((option) => {
        const trial: SchemaCheck = { ...check, diagnostics: [] };
        validateNode(trial, target, option, path, parent);
        return { option, diagnostics: trial.diagnostics };
      });
      if (attempts.some((a) => a.diagnostics.length === 0)) return;
      const fitting = attempts.find((a) => shapeFits(target, a.option)) ?? attempts[0];
      if (fitting) check.diagnostics.push(...fitting.diagnostics);
      return;
    }
    default:
      return unreachable(schema);
  }
}

/** A `${{ }}` where the loader needs the value itself: said, never dropped or defaulted. */
function literalOnly(check: SchemaCheck, schema: StringNode | NumberNode | BooleanNode, path: string, at: unknown): void {
  report(check, 'expression-not-allowed', `${name(path)} must be ${expected(schema)}; expressions are not allowed here`, at, 'this field is read when the runbook loads, before params, vars or steps have values: write the value itself');
}

/** What a scalar field takes, in words. */
export function expected(schema: StringNode | NumberNode | BooleanNode): string {
  switch (schema.kind) {
    case 'boolean':
      return 'true or false';
    case 'number':
      return schema.integer ? 'an integer' : 'a number';
    case 'string':
      if (schema.values) return `one of ${schema.values.join(', ')}`;
      switch (schema.format) {
        case 'duration':
          return 'a duration like `30s`';
        case 'name':
          return 'a kebab-case name like `deploy-api`';
        case 'id':
          return 'an id like `run_migrations`';
        case 'expression':
          return 'a bare CEL expression (without `${{ }}`)';
        case undefined:
          return 'plain text';
        default:
          return unreachable(schema.format);
      }
    default:
      return unreachable(schema);
  }
}

function checkFormat(text: string, format: 'duration' | 'name' | 'id' | 'expression' | undefined, path: string, error: (code: string, message: string, hint?: string) => void): void {
  switch (format) {
    case undefined:
    case 'expression':
      return;
    case 'duration':
      if (parseDuration(text) === undefined) error('bad-duration', `${name(path)} is not a duration: \`${text}\``, 'write a number and a unit, e.g. 500ms, 30s, 10m, 1h30m, 2d');
      return;
    case 'name':
      if (!NAME_PATTERN.test(text)) error('bad-name', `${name(path)} \`${text}\` is not a kebab-case name`, 'use lower-case letters, digits and dashes, e.g. `deploy-api`');
      return;
    case 'id':
      if (!ID_PATTERN.test(text)) error('bad-id', badIdMessage(text), `use \`${idSuggestion(text)}\``);
      return;
    default:
      return unreachable(format);
  }
}

/** Why a step id is refused: a `-` is the usual mistake, and `steps.a-b` reads as a subtraction. */
function badIdMessage(id: string): string {
  const rule = `step id \`${id}\` is not a valid id: ids must match \`${ID_PATTERN.source}\``;
  const dash = /^[A-Za-z_][A-Za-z0-9_]*(-[A-Za-z0-9_]+)+$/.test(id);
  return dash ? `${rule} because \`steps.${id}\` would not parse as CEL (it reads as \`steps.${id.split('-').join(' - ')}\`)` : `${rule} so that expressions can read \`steps.<id>\``;
}

/** The nearest valid id: `run-migrations` → `run_migrations`, `2nd.check` → `step_2nd_check`. */
export function idSuggestion(id: string): string {
  const cleaned = id.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+(?=.)|_+$/g, '') || 'step';
  return /^[0-9]/.test(cleaned) ? `step_${cleaned}` : cleaned;
}

/** Whether the node has the shape (scalar, list, mapping) the option expects. */
function shapeFits(node: unknown, option: SchemaNode): boolean {
  switch (option.kind) {
    case 'object':
      return isMap(node) || (option.shortForm !== undefined && isScalar(node));
    case 'map':
      return isMap(node);
    case 'array':
      return isSeq(node);
    case 'string':
      return isScalar(node) && typeof node.value === 'string';
    case 'number':
      return isScalar(node) && typeof node.value === 'number';
    case 'boolean':
      return isScalar(node) && typeof node.value === 'boolean';
    case 'oneOf':
      return option.options.some((o) => shapeFits(node, o));
    case 'any':
      return true;
    default:
      return unreachable(option);
  }
}

export function resolveAlias(check: { readonly doc: Document }, node: unknown): unknown {
  let current = node;
  for (let depth = 0; isAlias(current) && depth < 10; depth++) current = current.resolve(check.doc);
  return current;
}

export function keyName(pair: Pair): string {
  return isScalar(pair.key) ? String((pair.key as Scalar).value) : String(pair.key);
}

export function report(check: SchemaCheck, code: string, message: string, at: unknown, hint?: string): void {
  check.diagnostics.push({ severity: 'error', code, message, range: nodeRange(check.source, at), ...(hint ? { hint } : {}) });
}

/** The range of a YAML node (a mapping's range covers only its first line when printed). */
export function nodeRange(source: SourceFile, node: unknown) {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return range ? source.range(range[0], range[1]) : source.range(0, 0);
}

/** Words other tools use for the same thing (GitHub Actions, Ansible, Taskfile). */
const SYNONYMS: Readonly<Record<string, string>> = {
  depends_on: 'needs',
  dependsOn: 'needs',
  deps: 'needs',
  after: 'needs',
  if: 'when',
  condition: 'when',
  run: 'shell',
  command: 'shell',
  cmd: 'shell',
  script: 'shell',
  name: 'title',
  timeout_minutes: 'timeout',
  continue_on_error: 'on_failure',
  'continue-on-error': 'on_failure',
  rollback: 'undo',
  inputs: 'params',
  variables: 'vars',
};

function synonymHint(key: string, known: readonly string[]): string | undefined {
  const target = SYNONYMS[key];
  return target && known.includes(target) ? `opsctl calls this \`${target}\`` : undefined;
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function name(path: string): string {
  return path === '' ? 'the file' : `\`${path}\``;
}

function describe(node: unknown): string {
  if (node === null || node === undefined) return 'empty';
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) {
    const value = node.value;
    if (value === null) return 'empty';
    if (typeof value === 'string') return `the string \`${value.length > 40 ? `${value.slice(0, 40)}…` : value}\``;
    if (typeof value === 'number') return `the number ${value}`;
    if (typeof value === 'boolean') return `\`${value}\``;
  }
  return 'something else';
}
