import { describe, expect, it } from 'vitest';
import { compileText, show } from './helpers';

/**
 * Fields the loader reads itself (timeouts, retry, params, ids …) cannot hold `${{ }}`: the value
 * would otherwise be dropped or defaulted without a word. Each must be refused with its path;
 * the fields the run evaluates keep accepting expressions.
 */
const HEAD = 'apiVersion: opsctl/v1\nkind: Runbook\nname: t\nparams:\n  n: { type: integer, default: 2 }\n';
const withStep = (field: string) => `${HEAD}steps:\n  - id: a\n    shell: make\n${field
  .split('\n')
  .map((l) => `    ${l}`)
  .join('\n')}\n`;
const withRoot = (lines: string) => `${HEAD}${lines}\nsteps:\n  - id: a\n    shell: make\n`;

const REFUSED: [string, string, string][] = [
  ['step timeout', withStep('timeout: ${{ params.n }}m'), '`steps[0].timeout` must be a duration like `30s`'],
  ['step title', withStep('title: "Build ${{ params.n }}"'), '`steps[0].title` must be plain text'],
  ['step needs', withStep('needs: ["${{ params.n }}"]'), '`steps[0].needs[0]` must be plain text'],
  ['step on_failure', withStep('on_failure: "${{ params.n }}"'), '`steps[0].on_failure` must be one of abort, continue'],
  ['step idempotent', withStep('idempotent: ${{ params.n > 1 }}'), '`steps[0].idempotent` must be true or false'],
  ['step readonly', withStep('readonly: ${{ params.n > 1 }}'), '`steps[0].readonly` must be true or false'],
  ['step outputs', withStep('outputs: { v: "json:${{ params.n }}" }'), '`steps[0].outputs.v` must be plain text'],
  ['step undo', withStep('undo: ${{ params.n }}'), '`steps[0].undo` must be one of auto'],
  ['retry short form', withStep('retry: ${{ params.n }}'), '`steps[0].retry` must be an integer'],
  ['retry.attempts', withStep('retry: { attempts: "${{ params.n }}" }'), '`steps[0].retry.attempts` must be an integer'],
  ['retry.delay', withStep('retry: { attempts: 2, delay: "${{ params.n }}s" }'), '`steps[0].retry.delay` must be a duration like `30s`'],
  ['retry.max_delay', withStep('retry: { attempts: 2, max_delay: "${{ params.n }}s" }'), '`steps[0].retry.max_delay` must be a duration like `30s`'],
  ['retry.backoff', withStep('retry: { attempts: 2, backoff: "${{ params.n }}" }'), '`steps[0].retry.backoff` must be a number'],
  ['retry.jitter', withStep('retry: { attempts: 2, jitter: "${{ params.n }}" }'), '`steps[0].retry.jitter` must be a number'],
  ['retry.on', withStep('retry: { attempts: 2, on: ["${{ params.n }}"] }'), '`steps[0].retry.on[0]` must be plain text'],
  ['concurrency', withRoot('concurrency: ${{ params.n }}'), '`concurrency` must be an integer'],
  ['runbook on_failure', withRoot('on_failure: ${{ params.n }}'), '`on_failure` must be one of abort, rollback'],
  ['runbook title', withRoot('title: Deploy ${{ params.n }}'), '`title` must be plain text'],
  ['runbook description', withRoot('description: Deploy ${{ params.n }}'), '`description` must be plain text'],
  ['defaults.timeout', withRoot('defaults: { timeout: "${{ params.n }}m" }'), '`defaults.timeout` must be a duration like `30s`'],
  ['defaults.retry', withRoot('defaults: { retry: { attempts: "${{ params.n }}" } }'), '`defaults.retry.attempts` must be an integer'],
  ['defaults.on_failure', withRoot('defaults: { on_failure: "${{ params.n }}" }'), '`defaults.on_failure` must be one of abort, continue'],
  ['param default', withRoot('params:\n  v: { default: "${{ env.HOME }}" }').replace('params:\n  n: { type: integer, default: 2 }\n', ''), '`params.v.default` must be plain text'],
  ['param required', withRoot('params:\n  v: { required: "${{ true }}" }').replace('params:\n  n: { type: integer, default: 2 }\n', ''), '`params.v.required` must be true or false'],
  ['param secret', withRoot('params:\n  v: { secret: "${{ true }}" }').replace('params:\n  n: { type: integer, default: 2 }\n', ''), '`params.v.secret` must be true or false'],
  ['param max', withRoot('params:\n  v: { type: integer, max: "${{ 3 }}" }').replace('params:\n  n: { type: integer, default: 2 }\n', ''), '`params.v.max` must be a number'],
  ['secret path', withRoot('secrets:\n  token: { from: file, path: "${{ env.HOME }}/token" }'), '`secrets.token.path` must be plain text'],
  ['requires.tools', withRoot('requires: { tools: ["${{ params.n }}"] }'), '`requires.tools[0]` must be plain text'],
];

describe('fields read at load time refuse expressions', () => {
  it.each(REFUSED)('%s', (_label, text, message) => {
    const result = compileText(text);
    expect(result.ok).toBe(false);
    const refused = result.diagnostics.filter((d) => d.code === 'expression-not-allowed');
    expect(refused.map((d) => d.message)).toEqual([`${message}; expressions are not allowed here`]);
    expect(refused[0]?.hint).toContain('read when the runbook loads');
  });

  it('points at the value', () => {
    const result = compileText(withStep('timeout: ${{ params.n }}m'));
    expect(result.diagnostics.map(show)).toEqual([
      '9:14 error expression-not-allowed: `steps[0].timeout` must be a duration like `30s`; expressions are not allowed here (this field is read when the runbook loads, before params, vars or steps have values: write the value itself)',
    ]);
  });
});

describe('fields the run evaluates keep accepting expressions', () => {
  const ACCEPTED: [string, string][] = [
    ['when', withStep('when: ${{ params.n > 1 }}')],
    ['confirm gate', withStep('confirm: "Build ${{ params.n }}?"')],
    ['env', withStep('env: { N: "${{ params.n }}" }')],
    ['cwd', withStep('cwd: "/tmp/${{ params.n }}"')],
    ['vars', withRoot('vars:\n  x: "${{ params.n * 2 }}"')],
    ['lock', withRoot('lock: "build@${{ params.n }}"')],
    ['defaults.env and cwd', withRoot('defaults: { env: { N: "${{ params.n }}" }, cwd: "${{ env.HOME }}" }')],
    ['wait duration (read by the adapter at run time)', `${HEAD}steps:\n  - id: a\n    wait: "\${{ params.n }}s"\n`],
    ['http timeout and status', `${HEAD}steps:\n  - id: a\n    http: { url: "http://127.0.0.1/", timeout: "\${{ params.n }}s", expect: { status: "\${{ 200 + params.n }}" } }\n`],
    ['runbook params', `${HEAD}steps:\n  - id: a\n    runbook: { name: "./child.yaml", params: { n: "\${{ params.n }}" } }\n`],
  ];
  it.each(ACCEPTED)('%s', (_label, text) => {
    const result = compileText(text);
    expect(result.diagnostics.map(show)).toEqual([]);
    expect(result.ok).toBe(true);
  });
});
