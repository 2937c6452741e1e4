import { didYouMeanHint } from '../did-you-mean';
import type { Diagnostic } from '../diagnostics';
import type { ParamSpec } from '../model';
import { diagnostic, type Rule, type RuleContext } from './types';

/** A param's own declaration is consistent: enum values, a pattern that compiles, a default that fits. */
export const paramsCheck: Rule = (ctx) => ctx.runbook.params.flatMap((param) => checkParam(param, ctx));

function checkParam(param: ParamSpec, ctx: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  const at = (field: string) => ctx.locator.range(['params', param.name, field]);
  const name = `param \`${param.name}\``;
  if (param.type === 'enum' && !param.values) out.push(diagnostic('error', 'enum-without-values', `${name} is an enum without \`values\``, param.range, 'list the allowed values: values: [a, b]'));
  if (param.type !== 'enum' && param.values) out.push(diagnostic('error', 'values-without-enum', `${name} has \`values\` but its type is ${param.type}`, at('values'), 'use `type: enum` for a fixed list of values'));
  let pattern: RegExp | undefined;
  if (param.pattern !== undefined) {
    try {
      pattern = new RegExp(param.pattern);
    } catch (error) {
      out.push(diagnostic('error', 'bad-pattern', `${name} has an invalid pattern: ${(error as Error).message}`, at('pattern')));
    }
  }
  if (param.min !== undefined && param.max !== undefined && param.min > param.max) {
    out.push(diagnostic('error', 'min-above-max', `${name} has min ${param.min} above max ${param.max}`, at('min')));
  }
  // Fields the run never reads for this type: said, rather than accepted and ignored.
  if (param.pattern !== undefined && param.type !== 'string' && param.type !== 'enum') {
    out.push(diagnostic('warning', 'ignored-field', `\`pattern\` has no effect on ${name}: it is ${article(param.type)}`, at('pattern'), 'a pattern checks string values; bound numbers with `min` and `max`'));
  }
  for (const field of ['min', 'max'] as const) {
    if (param[field] === undefined || param.type === 'string' || param.type === 'integer' || param.type === 'number') continue;
    out.push(diagnostic('warning', 'ignored-field', `\`${field}\` has no effect on ${name}: it is ${article(param.type)}`, at(field), '`min` and `max` bound numbers (and the length of strings)'));
  }
  if (param.required && param.default !== undefined) {
    out.push(diagnostic('warning', 'required-with-default', `${name} is required but has a default, so it never needs to be given`, at('required'), 'drop `required` or the default'));
  }
  const value = param.default;
  if (value === undefined || (typeof value === 'string' && value.includes('${{'))) return out;
  const where = at('default');
  switch (param.type) {
    case 'enum':
      if (param.values && !param.values.includes(String(value))) {
        out.push(diagnostic('error', 'default-not-in-values', `default \`${value}\` of ${name} is not one of its values: ${param.values.join(', ')}`, where, didYouMeanHint(String(value), param.values)));
      }
      break;
    case 'string':
      if (typeof value !== 'string') out.push(diagnostic('error', 'default-type', `default of ${name} must be a string, not ${typeof value} ${value}`, where, `quote it: '${value}'`));
      else if (pattern && !pattern.test(value)) out.push(diagnostic('error', 'default-pattern', `default \`${value}\` of ${name} does not match its pattern \`${param.pattern}\``, where));
      break;
    case 'integer':
    case 'number':
      if (typeof value !== 'number' || (param.type === 'integer' && !Number.isInteger(value))) {
        out.push(diagnostic('error', 'default-type', `default of ${name} must be ${param.type === 'integer' ? 'an integer' : 'a number'}, not ${JSON.stringify(value)}`, where));
      } else if (param.min !== undefined && value < param.min) {
        out.push(diagnostic('error', 'default-range', `default ${value} of ${name} is below its min ${param.min}`, where));
      } else if (param.max !== undefined && value > param.max) {
        out.push(diagnostic('error', 'default-range', `default ${value} of ${name} is above its max ${param.max}`, where));
      }
      break;
    case 'boolean':
      if (typeof value !== 'boolean') out.push(diagnostic('error', 'default-type', `default of ${name} must be true or false, not ${JSON.stringify(value)}`, where));
      break;
  }
  return out;
}

function article(type: ParamSpec['type']): string {
  return type === 'integer' || type === 'enum' ? `an ${type}` : `a ${type}`;
}
