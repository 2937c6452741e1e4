import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { StepGraph } from '../../../src/runbook/model';
import { compileText, HEADER, show } from './helpers';

function compile(text: string): StepGraph {
  const result = compileText(text);
  if (!result.ok) throw new Error(result.diagnostics.map(show).join('\n'));
  return result.graph;
}

describe('a runbook using every field of DESIGN.md §2', () => {
  const result = compileText(readFileSync('test/fixtures/valid/deploy.yaml', 'utf8'), undefined, 'test/fixtures/valid/deploy.yaml');

  it('loads without diagnostics', () => {
    expect(result.diagnostics.map(show)).toEqual([]);
    expect(result.ok).toBe(true);
  });

  const graph = (result as { graph: StepGraph }).graph;

  it('keeps the top-level fields', () => {
    const { runbook } = graph;
    expect(runbook).toMatchObject({
      apiVersion: 'opsctl/v1',
      kind: 'Runbook',
      name: 'deploy',
      title: 'Deploy the API service',
      description: 'Snapshot, migrate, roll out, verify, shift DNS.',
      vars: { cluster: 'axiomcore-${{ environment.name }}' },
      requires: { tools: ['kubectl'], env: ['AWS_REGION'] },
      lock: 'deploy@${{ environment.name }}',
      concurrency: 4,
      onFailure: 'rollback',
    });
    expect(runbook.params.map(({ range: _r, ...p }) => p)).toEqual([
      { name: 'version', type: 'string', required: true, pattern: '^\\d+\\.\\d+\\.\\d+$', secret: false, description: 'Image tag' },
      { name: 'replicas', type: 'integer', required: false, default: 4, min: 1, max: 12, secret: false },
      { name: 'ratio', type: 'number', required: false, default: 0.5, min: 0, max: 1, secret: false },
      { name: 'dry', type: 'boolean', required: false, default: false, secret: false },
      { name: 'strategy', type: 'enum', required: false, default: 'rolling', values: ['rolling', 'blue-green'], secret: false },
      { name: 'token', type: 'string', required: false, secret: true },
    ]);
    expect(runbook.params[1]?.range).toMatchObject({ file: 'test/fixtures/valid/deploy.yaml', line: 9, col: 3 });
    expect(runbook.secrets.map(({ range: _r, ...s }) => s)).toEqual([
      { name: 'db_password', from: 'env', env: 'PGPASSWORD' },
      { name: 'api_key', from: 'file', path: './key.txt' },
      { name: 'otp', from: 'prompt', message: 'One-time password?' },
    ]);
  });

  it('orders steps topologically, keeping list order, with implicit and explicit needs', () => {
    expect(graph.order).toEqual(['verify', 'snapshot', 'migrate', 'rollout', 'health', 'dns', 'tell', 'smoke', 'pause']);
    const needs = Object.fromEntries(graph.order.map((id) => [id, graph.steps.get(id)?.needs]));
    expect(needs).toEqual({ verify: [], snapshot: ['verify'], migrate: ['snapshot'], rollout: ['migrate'], health: ['rollout'], dns: ['health'], tell: [], smoke: ['health', 'tell'], pause: ['smoke'] });
    expect([...(graph.ancestors.get('smoke') ?? [])].sort()).toEqual(['health', 'migrate', 'rollout', 'snapshot', 'tell', 'verify']);
    expect(graph.dependents.get('health')).toEqual(['dns', 'smoke']);
    expect(graph.finally.map((s) => s.id)).toEqual(['summary']);
  });

  it('expands short forms, applies defaults and converts durations', () => {
    const step = (id: string) => graph.steps.get(id)!;
    expect(step('verify')).toMatchObject({ action: { kind: 'shell', input: { run: 'npm run verify && npm test' } }, readonly: true, timeoutMs: 600_000, env: { LOG_LEVEL: 'info' }, cwd: '/srv' });
    expect(step('verify').action.range).toMatchObject({ line: 30, col: 5 });
    expect(step('pause').action).toMatchObject({ kind: 'wait', input: { duration: '30s' } });
    expect(step('migrate')).toMatchObject({
      confirm: 'Run migrations against ${{ environment.name }}?',
      undo: { kind: 'ecs.run-task', input: { task_definition: 'migrate', command: ['npm', 'run', 'migrate:down'] } },
      retry: { attempts: 3, delayMs: 10_000, backoff: 2, maxDelayMs: 60_000, jitter: 0.2, on: { any: false, exitCodes: [1], timeout: true, errorKinds: ['ThrottlingException'] } },
    });
    expect(step('rollout')).toMatchObject({ undo: 'auto', timeoutMs: 900_000, outputs: { lb: 'json:$.loadBalancer' } });
    expect(step('health')).toMatchObject({ onFailure: 'continue', idempotent: true, retry: { attempts: 1, on: { any: true } } });
    expect(step('dns').when).toBe('${{ params.strategy == "blue-green" && steps.rollout.outputs.lb != "" }}');
    expect(step('smoke')).toMatchObject({ env: { LOG_LEVEL: 'info', REPLICAS: '${{ params.replicas * 2 }}' }, cwd: '/tmp' });
    expect(graph.finally[0]).toMatchObject({ phase: 'finally', when: 'always()', needs: [], action: { kind: 'notify' } });
  });
});

describe('graph shapes', () => {
  it('runs `needs: []` steps at once and joins on explicit needs', () => {
    const graph = compile(`${HEADER}steps:\n  - { id: a, shell: a }\n  - { id: b, needs: [], shell: b }\n  - { id: c, needs: [a, b], shell: c }\n  - { id: d, shell: d }\n`);
    expect(graph.order).toEqual(['a', 'b', 'c', 'd']);
    expect(graph.steps.get('d')?.needs).toEqual(['c']);
  });

  it('puts a step after what it needs even when written before it', () => {
    const graph = compile(`${HEADER}steps:\n  - { id: late, needs: [early], shell: x }\n  - { id: early, needs: [], shell: y }\n`);
    expect(graph.order).toEqual(['early', 'late']);
  });

  it('accepts `retry: N` and expressions where numbers and booleans go', () => {
    const graph = compile(`${HEADER}params:\n  n: { type: integer, default: 2 }\nsteps:\n  - id: a\n    retry: 3\n    http: { url: http://127.0.0.1/, healthy_threshold: "\${{ params.n }}" }\n`);
    expect(graph.steps.get('a')?.retry.attempts).toBe(3);
    expect(graph.steps.get('a')?.action.input.healthy_threshold).toBe('${{ params.n }}');
  });

  it('lets a confirm step stand alone and treats `confirm:` beside an action as a gate', () => {
    const graph = compile(`${HEADER}steps:\n  - { id: ask, confirm: Go on? }\n  - { id: act, confirm: Sure?, shell: x }\n`);
    expect(graph.steps.get('ask')).toMatchObject({ action: { kind: 'confirm', input: { message: 'Go on?' } } });
    expect(graph.steps.get('ask')?.confirm).toBeUndefined();
    expect(graph.steps.get('act')).toMatchObject({ confirm: 'Sure?', action: { kind: 'shell' } });
  });

  it('lets macros bind names and undo read its own step', () => {
    const graph = compile(
      `${HEADER}steps:\n  - id: a\n    shell: echo '[1]'\n    outputs: { rows: "json:$" }\n    undo: { shell: "echo \${{ steps.a.outputs.rows }}" }\n  - id: b\n    when: steps.a.outputs.rows.all(r, r > 0)\n    shell: x\n`,
    );
    expect(graph.order).toEqual(['a', 'b']);
  });

  it('keeps `lock: true` and `lock: false` (true takes the default lock even when no step writes)', () => {
    const body = 'steps:\n  - { id: a, readonly: true, shell: x }\n';
    expect(compile(`${HEADER}lock: true\n${body}`).runbook.lock).toBe(true);
    expect(compile(`${HEADER}lock: false\n${body}`).runbook.lock).toBe(false);
    expect(compile(`${HEADER}${body}`).runbook.lock).toBeUndefined();
  });

  it('knows the `databases` context (names come from opsctl.yaml)', () => {
    const result = compileText(
      `${HEADER}params:\n  database: { type: string }\nvars:\n  url: "\${{ params.database in databases ? databases[params.database] : params.database }}"\nsteps:\n  - id: dump\n    shell: pg_dump "\${{ databases.main }}" "\${{ vars.url }}"\n`,
    );
    expect(result.diagnostics.map(show)).toEqual([]);
  });
});
