import type { ParamSpec } from '../runbook/model';

/**
 * Pure: given values (strings from `-p key=value`, or values from a calling runbook) and the
 * runbook's param specs, the typed values with defaults applied, or what is missing or wrong.
 */
export type ParamsResult =
  | { readonly ok: true; readonly values: Record<string, unknown> }
  | { readonly ok: false; readonly missing: readonly ParamSpec[]; readonly invalid: readonly string[] };

export function applyParams(specs: readonly ParamSpec[], given: Readonly<Record<string, unknown>>, runbook: string): ParamsResult {
  const values: Record<string, unknown> = {};
  const missing: ParamSpec[] = [];
  const invalid: string[] = [];
  const known = new Set(specs.map((spec) => spec.name));
  for (const name of Object.keys(given)) {
    if (!known.has(name)) {
      invalid.push(`-p ${name}: runbook \`${runbook}\` has no param \`${name}\`${known.size ? ` (it takes: ${[...known].join(', ')})` : ' (it takes none)'}`);
    }
  }
  for (const spec of specs) {
    const raw = given[spec.name];
    if (raw === undefined) {
      if (spec.default !== undefined) values[spec.name] = spec.default;
      else if (spec.required) missing.push(spec);
      continue;
    }
    const checked = checkParam(spec, raw);
    if (checked.ok) values[spec.name] = checked.value;
    else invalid.push(`-p ${spec.name}: ${checked.message}`);
  }
  return missing.length === 0 && invalid.length === 0 ? { ok: true, values } : { ok: false, missing, invalid };
}

export type ParamCheck = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly message: string };

/** Converts and checks one value against its spec: type, pattern, values, min, max. */
export function checkParam(spec: ParamSpec, raw: unknown): ParamCheck {
  const text = typeof raw === 'string' ? raw : String(raw);
  const shown = spec.secret ? 'the value' : JSON.stringify(text);
  let value: unknown;
  switch (spec.type) {
    case 'string':
      value = text;
      break;
    case 'integer':
    case 'number': {
      const number = typeof raw === 'number' ? raw : Number(text.trim());
      if (text.trim() === '' || !Number.isFinite(number)) return { ok: false, message: `${shown} is not a number` };
      if (spec.type === 'integer' && !Number.isInteger(number)) return { ok: false, message: `${shown} is not an integer` };
      if (spec.min !== undefined && number < spec.min) return { ok: false, message: `${number} is below the minimum ${spec.min}` };
      if (spec.max !== undefined && number > spec.max) return { ok: false, message: `${number} is above the maximum ${spec.max}` };
      value = number;
      break;
    }
    case 'boolean': {
      if (typeof raw === 'boolean') value = raw;
      else if (/^(true|yes|1)$/i.test(text)) value = true;
      else if (/^(false|no|0)$/i.test(text)) value = false;
      else return { ok: false, message: `${shown} is not a boolean (true or false)` };
      break;
    }
    case 'enum':
      value = text;
      break;
    default: {
      const never: never = spec.type;
      return { ok: false, message: `unknown param type ${String(never)}` };
    }
  }
  if (typeof value === 'string') {
    if (spec.values && spec.values.length > 0 && !spec.values.includes(value)) {
      return { ok: false, message: `${shown} is not one of ${spec.values.join(', ')}` };
    }
    if (spec.pattern !== undefined && !new RegExp(spec.pattern).test(value)) {
      return { ok: false, message: `${shown} does not match the pattern ${spec.pattern}` };
    }
    if (spec.type === 'string') {
      if (spec.min !== undefined && value.length < spec.min) return { ok: false, message: `${shown} is shorter than ${spec.min} characters` };
      if (spec.max !== undefined && value.length > spec.max) return { ok: false, message: `${shown} is longer than ${spec.max} characters` };
    }
  }
  return { ok: true, value };
}

/** How a person passes a missing param: `-p version=<string>` plus what it is for. */
export function paramFlag(spec: ParamSpec): string {
  const hint = spec.type === 'enum' && spec.values ? spec.values.join('|') : spec.type;
  return `-p ${spec.name}=<${hint}>${spec.description ? `  (${spec.description})` : ''}`;
}
