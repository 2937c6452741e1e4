import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostics } from '../../../src/runbook/print-diagnostics';
import { compileText, show } from './helpers';

/**
 * Each file in test/fixtures/invalid holds one mistake; the loader must name it with the exact
 * message, hint and line:col (and nothing else).
 */
const DIR = 'test/fixtures/invalid';

const EXPECTED: Record<string, string[]> = {
  'adapter-input.yaml': [
    "6:39 error unknown-key: unknown key `metod` in `steps[0].http` (did you mean `method`?)",
  ],
  'alias-bomb.yaml': [
    "6:10 error yaml-alias-bomb: too many YAML aliases: expanding them would take more than 100 copies (this looks like a \"billion laughs\" attack; write the values out instead of nesting aliases)",
  ],
  'auto-undo-unsupported.yaml': [
    "7:11 error no-auto-undo: `shell` cannot undo itself, so `undo: auto` on step `build` has no effect (write the undo action, e.g. undo: { shell: ./revert.sh })",
  ],
  'bad-duration.yaml': [
    "7:14 error bad-duration: `steps[0].timeout` is not a duration: `10 minutes` (write a number and a unit, e.g. 500ms, 30s, 10m, 1h30m, 2d)",
  ],
  'bad-expression.yaml': [
    "6:37 error bad-expression: expression does not parse: Unexpected token: EOF (expressions are CEL: https://cel.dev)",
  ],
  'bad-http-condition.yaml': [
    "6:89 error bad-expression: expression does not parse: Unexpected token: EOF (expressions are CEL: https://cel.dev)",
  ],
  'bad-json-selector.yaml': [
    "7:25 error bad-selector: output `version` of step `build`: cannot read JSON path \"$.items[one]\" at \"[one]\" (e.g. json:$.items[0].id)",
  ],
  'bad-name.yaml': [
    "3:7 error bad-name: `name` `Deploy_API` is not a kebab-case name (use lower-case letters, digits and dashes, e.g. `deploy-api`)",
  ],
  'bad-on-failure.yaml': [
    "4:13 error not-allowed: `on_failure` must be one of abort, rollback, not `rolback` (did you mean `rollback`?)",
  ],
  'bad-output-regex.yaml': [
    "7:25 error bad-selector: output `version` of step `build` has an invalid regular expression: Invalid regular expression: /version (\\d+/m: Unterminated group",
  ],
  'bad-param-type.yaml': [
    "5:20 error not-allowed: `params.version.type` must be one of string, integer, number, boolean, enum, not `str` (did you mean `string`?)",
  ],
  'bad-sql-expr.yaml': [
    "8:54 error bad-expression: expression does not parse: Expected RPAREN, got EOF (expressions are CEL: https://cel.dev)",
  ],
  'bad-step-id.yaml': [
    "5:9 error bad-id: step id `run-migrations` is not a valid id: ids must match `^[A-Za-z_][A-Za-z0-9_]*$` because `steps.run-migrations` would not parse as CEL (it reads as `steps.run - migrations`) (use `run_migrations`)",
  ],
  'bad-when.yaml': [
    "6:26 error bad-expression: expression does not parse: Unexpected token: EOF (expressions are CEL: https://cel.dev)",
  ],
  'cycle.yaml': [
    "6:5 error cycle: `needs` form a cycle: a → c → b → a (each step waits for the next one, so none can start; remove one of these `needs`)",
  ],
  'default-above-max.yaml': [
    "5:39 error default-range: default 20 of param `replicas` is above its max 12",
  ],
  'default-outside-enum.yaml': [
    "5:67 error default-not-in-values: default `canary` of param `strategy` is not one of its values: rolling, blue-green",
  ],
  'default-pattern.yaml': [
    "5:65 error default-pattern: default `latest` of param `version` does not match its pattern `^\\d+\\.\\d+\\.\\d+$`",
  ],
  'duplicate-id.yaml': [
    "7:9 error duplicate-id: step id `build` is used twice (first on line 5) (give each step its own id)",
  ],
  'duplicate-key.yaml': [
    "7:5 error yaml-duplicate-key: duplicate key `shell`: it already appears in this mapping (remove one of them or merge their values)",
  ],
  'empty.yaml': [
    "1:1 error empty: the file is empty (a runbook starts with `apiVersion: opsctl/v1` and `kind: Runbook`)",
  ],
  'enum-without-values.yaml': [
    "5:3 error enum-without-values: param `strategy` is an enum without `values` (list the allowed values: values: [a, b])",
  ],
  'expression-retry.yaml': [
    "9:24 error expression-not-allowed: `steps[0].retry.attempts` must be an integer; expressions are not allowed here (this field is read when the runbook loads, before params, vars or steps have values: write the value itself)",
  ],
  'expression-timeout.yaml': [
    "9:14 error expression-not-allowed: `steps[0].timeout` must be a duration like `30s`; expressions are not allowed here (this field is read when the runbook loads, before params, vars or steps have values: write the value itself)",
  ],
  'foreign-key.yaml': [
    "8:5 error unknown-key: unknown key `depends_on` in `steps[1]` (opsctl calls this `needs`)",
  ],
  'missing-api-version.yaml': [
    "1:1 error missing-key: the runbook is missing `apiVersion`",
  ],
  'multiple-documents.yaml': [
    "7:1 error yaml-multiple-docs: the file holds more than one YAML document (`---`) (put each runbook in its own file)",
  ],
  'needs-itself.yaml': [
    "6:13 error needs-self: step `build` needs itself (remove it from its own `needs`)",
  ],
  'no-action.yaml': [
    "5:5 error no-action: step `build` has no action (add exactly one action, such as `shell`, `http`, `sql` or `wait` (`opsctl schema` lists them all))",
  ],
  'non-ancestor-output.yaml': [
    "10:21 error not-an-ancestor: step `announce` reads `steps.build` but does not depend on `build` (add `build` to the `needs` of `announce` (or of a step it needs), so `build` has run first)",
  ],
  'reads-itself.yaml': [
    "6:21 error reads-itself: step `build` reads its own `steps.build` before it has run (its results can be read by the steps after it, or by its `undo`)",
  ],
  'retry-attempts.yaml': [
    "7:24 error too-small: `steps[0].retry.attempts` must be at least 1, not 0",
  ],
  'secret-without-path.yaml': [
    "5:3 error secret-path: secret `token` reads a file but has no `path` (e.g. { from: file, path: ~/.config/token })",
  ],
  'steps-in-vars.yaml': [
    "5:12 error steps-unavailable: `steps.build` cannot be read in `vars`: no step has run when it is evaluated (read step results inside a step)",
  ],
  'steps-not-a-list.yaml': [
    "5:3 error wrong-type: `steps` must be a list, not a mapping",
  ],
  'step-id-digit.yaml': [
    "5:9 error bad-id: step id `2nd.check` is not a valid id: ids must match `^[A-Za-z_][A-Za-z0-9_]*$` so that expressions can read `steps.<id>` (use `step_2nd_check`)",
  ],
  'tab-indent.yaml': [
    "6:1 error yaml-tab-as-indent: a tab is used for indentation (YAML indents with spaces only; replace the tab with spaces)",
  ],
  'two-actions.yaml': [
    "7:5 error two-actions: step `build` has 2 actions: `shell`, `http` (a step does one thing; split it into one step per action)",
  ],
  'undo-two-actions.yaml': [
    "7:11 error undo-actions: the `undo` of step `build` must hold exactly one action, not 2 (e.g. undo: { shell: ./revert.sh })",
  ],
  'unknown-action.yaml': [
    "6:5 error unknown-key: unknown key `shel` in `steps[0]` (did you mean `shell`?)",
  ],
  'unknown-answer-variable.yaml': [
    "9:15 error unknown-variable: `expect.json` can read `json`, `status`, `body`, `headers`, not `jsn` (did you mean `json`?)",
  ],
  'unknown-context.yaml': [
    "6:21 error unknown-context: unknown context `build` (contexts: params, vars, secrets, environment, env, steps, run, incident, databases)",
  ],
  'unknown-function.yaml': [
    "8:11 error unknown-function: unknown function `sucess()` (did you mean `success`?)",
  ],
  'unknown-key.yaml': [
    "8:5 error unknown-key: unknown key `nedds` in `steps[1]` (did you mean `needs`?)",
  ],
  'unknown-needs.yaml': [
    "8:13 error unknown-need: step `test` needs `biuld`, which is not a step of this runbook (did you mean `build`?)",
  ],
  'unknown-param.yaml': [
    "8:21 error unknown-param: unknown param `params.verison` (did you mean `version`?)",
  ],
  'unknown-step-field.yaml': [
    "8:15 error unknown-field: `steps.build` has no field `output` (did you mean `steps.build.outputs`?)",
  ],
  'unknown-step.yaml': [
    "8:15 error unknown-step: unknown step `steps.biuld` (did you mean `build`?)",
  ],
  'unknown-var.yaml': [
    "8:21 error unknown-var: unknown var `vars.clutser` (did you mean `cluster`?)",
  ],
  'unterminated-expression.yaml': [
    "6:17 error bad-expression: unterminated `${{`: add the closing `}}`",
  ],
  'var-order.yaml': [
    "5:21 error var-order: var `url` reads `vars.host`, which is defined after it (vars are evaluated top to bottom; move it above, or compute it from params)",
  ],
  'wrong-api-version.yaml': [
    "1:13 error not-allowed: `apiVersion` must be one of opsctl/v1, not `opsctl/v2` (did you mean `opsctl/v1`?)",
  ],
  'wrong-type.yaml': [
    "4:14 error wrong-type: `concurrency` must be an integer, not the string `many`",
  ],
  'yaml-syntax.yaml': [
    "7:3 error yaml-bad-indent: YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]",
  ],
  'unclosed-quote.yaml': [
    "7:12 error yaml-missing-char: YAML syntax error: this `\"` is never closed (end the value with a closing `\"` (a quoted value may go on over several lines, but must be closed))",
  ],
  'unclosed-bracket.yaml': [
    "8:12 error yaml-bad-indent: YAML syntax error: this `[` is never closed (add the closing `]`, or write the list as indented lines instead)",
  ],
  'colon-in-value.yaml': [
    "7:12 error yaml-block-as-implicit-key: YAML syntax error: Nested mappings are not allowed in compact mappings (a value that contains `: ` must be quoted as a whole, or written as a block: `shell: |` and the script on the lines below, indented)",
  ],
  'body-mapping.yaml': [
    "10:13 error wrong-type: `steps[0].http.body` must be a string, not a mapping (for a JSON body, write it under `json:` instead of `body:` (it is sent as JSON with content-type application/json))",
  ],
};

function load(file: string) {
  const path = join(DIR, file);
  return compileText(readFileSync(path, 'utf8'), undefined, path);
}

describe('invalid runbooks', () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.yaml')).sort();

  it('has at least 30 broken runbooks, each with its expectation', () => {
    expect(files.length).toBeGreaterThanOrEqual(30);
    expect(Object.keys(EXPECTED).sort()).toEqual(files);
  });

  it.each(files)('%s', (file) => {
    const result = load(file);
    expect(result.ok).toBe(false);
    expect(result.diagnostics.map(show)).toEqual(EXPECTED[file]);
  });

  it('prints file:line:col, the source line and a caret under the bad part', () => {
    const result = load('unknown-needs.yaml');
    expect(formatDiagnostics(result.diagnostics, { color: false })).toBe(
      [
        'test/fixtures/invalid/unknown-needs.yaml:8:13: error: step `test` needs `biuld`, which is not a step of this runbook [unknown-need]',
        '8 |     needs: [biuld]',
        '  |             ^^^^^',
        'hint: did you mean `build`?',
      ].join('\n'),
    );
  });
});
