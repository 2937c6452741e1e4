import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runbookJsonSchema, toJsonSchema } from '../../../src/runbook/json-schema';
import { literal, s } from '../../../src/runbook/schema-dsl';
import { registry } from './helpers';

describe('JSON Schema', () => {
  const schema = runbookJsonSchema(registry) as { properties: Record<string, unknown>; required: string[]; $defs: { step: { properties: Record<string, unknown> } } };

  it('is the shipped schema/runbook.schema.json (regenerate: bin/opsctl schema > schema/runbook.schema.json)', () => {
    expect(JSON.parse(readFileSync('schema/runbook.schema.json', 'utf8'))).toEqual(schema);
  });

  it('describes the top level and every registered action in the step definition', () => {
    expect(schema.required).toEqual(['apiVersion', 'kind', 'name', 'steps']);
    expect(schema.properties.steps).toEqual({ type: 'array', items: { $ref: '#/$defs/step' }, minItems: 1 });
    for (const key of registry.keys()) expect(Object.keys(schema.$defs.step.properties)).toContain(key);
    expect(schema.$defs.step.properties.undo).toMatchObject({ anyOf: [{ enum: ['auto'] }, { $ref: '#/$defs/action' }] });
  });

  it('turns each schema node into its JSON Schema form', () => {
    expect(toJsonSchema(s.integer({ min: 1 }))).toEqual({ anyOf: [{ type: 'integer', minimum: 1 }, { type: 'string', pattern: '\\$\\{\\{' }] });
    expect(toJsonSchema(s.enumOf(['a', 'b'], 'pick'))).toEqual({ description: 'pick', enum: ['a', 'b'] });
    expect(toJsonSchema(s.object({ run: s.string() }, { shortForm: 'run', required: ['run'] }))).toEqual({
      anyOf: [{ type: 'string' }, { type: 'object', properties: { run: { type: 'string' } }, additionalProperties: false, required: ['run'] }],
    });
    expect(toJsonSchema(s.map(s.any(), { keyPattern: '^[a-z]+$' }))).toEqual({ type: 'object', additionalProperties: {}, propertyNames: { pattern: '^[a-z]+$' } });
    expect(toJsonSchema(s.duration())).toEqual({ anyOf: [{ type: 'string', pattern: '^(\\d+(\\.\\d+)?(ms|s|m|h|d|w))+$' }, { type: 'string', pattern: '\\$\\{\\{' }] });
    // Fields the loader reads itself take no expression, and the editor says so too.
    expect(toJsonSchema(literal(s.duration()))).toEqual({ type: 'string', pattern: '^(\\d+(\\.\\d+)?(ms|s|m|h|d|w))+$' });
    expect(toJsonSchema(literal(s.integer({ min: 1 })))).toEqual({ type: 'integer', minimum: 1 });
    expect(toJsonSchema(literal(s.boolean()))).toEqual({ type: 'boolean' });
    expect(schema.$defs.step.properties.timeout).toEqual({ type: 'string', pattern: '^(\\d+(\\.\\d+)?(ms|s|m|h|d|w))+$' });
  });
});
