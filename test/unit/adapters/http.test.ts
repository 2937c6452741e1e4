import { afterEach, describe, expect, it } from 'vitest';
import { httpDefinition } from '../../../src/adapters/http/definition';
import { fakeContext, instantClock, load, runAction, startServer, timeoutError, type ScriptedAnswer, type TestServer } from './helpers';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A server that gives these answers in order (the last one repeats). */
async function serve(...answers: ScriptedAnswer[]): Promise<TestServer> {
  server = await startServer((_request, i) => answers[Math.min(i, answers.length - 1)] ?? { status: 500 });
  return server;
}

const json = (value: unknown, status = 200): ScriptedAnswer => ({ status, body: JSON.stringify(value), headers: { 'content-type': 'application/json' } });

describe('http: one request', () => {
  it('GETs the URL and succeeds on 2xx with the status and the body as text', async () => {
    const s = await serve(json({ status: 'ok' }));
    const outcome = await runAction('http', { url: `${s.url}/health` });
    expect(outcome).toMatchObject({ type: 'success', outputs: { status: 200, checks: 1 }, text: '{"status":"ok"}' });
    expect(s.requests).toMatchObject([{ method: 'GET', url: '/health' }]);
  });

  it('fails a non-2xx answer as an http-error saying what came back', async () => {
    const s = await serve({ status: 500, body: 'database down' });
    const outcome = await runAction('http', { url: `${s.url}/health` });
    expect(outcome).toMatchObject({ type: 'failure', reason: 'http-error', errorKind: 'HTTP500', outputs: { status: 500 } });
    if (outcome.type === 'failure') expect(outcome.message).toBe(`GET ${s.url}/health: expected a 2xx status, got 500 Internal Server Error (body: database down)`);
  });

  it('checks expected statuses, body text and JSON paths, saying expected vs got', async () => {
    const s = await serve(json({ status: 'degraded', checks: [{ name: 'db', ok: true }] }, 503));
    const status = await runAction('http', { url: s.url, expect: { status: 200 } });
    expect(status).toMatchObject({ type: 'failure', reason: 'expectation-failed' });
    if (status.type === 'failure') expect(status.message).toContain('expected status 200, got 503 Service Unavailable');
    expect(await runAction('http', { url: s.url, expect: { status: [200, 503] } })).toMatchObject({ type: 'success', outputs: { status: 503 } });
    const body = await runAction('http', { url: s.url, expect: { status: 503, body_contains: 'healthy' } });
    expect(body).toMatchObject({ type: 'failure', reason: 'expectation-failed' });
    if (body.type === 'failure') expect(body.message).toContain('expected the body to contain "healthy", got (body: {"status":"degraded"');
    expect(await runAction('http', { url: s.url, expect: { status: 503, json: { '$.checks[0].name': 'db', 'checks[-1].ok': true } } })).toMatchObject({ type: 'success' });
    const wrong = await runAction('http', { url: s.url, expect: { status: 503, json: { '$.status': 'ok' } } });
    if (wrong.type !== 'failure') throw new Error('expected failure');
    expect(wrong.message).toContain('expected $.status to be "ok", got "degraded"');
    const missing = await runAction('http', { url: s.url, expect: { status: 503, json: { '$.version': '1.2.3' } } });
    if (missing.type !== 'failure') throw new Error('expected failure');
    expect(missing.message).toContain('the JSON body has no $.version');
  });

  it('checks a CEL condition over the JSON body, status and headers', async () => {
    const s = await serve(json({ status: 'ok', checks: [{ name: 'db', ok: true }, { name: 'cache', ok: true }] }));
    const holds = await runAction('http', { url: s.url, expect: { json: "json.status == 'ok' && json.checks.all(c, c.ok) && status == 200 && headers['content-type'] == 'application/json'" } });
    expect(holds).toMatchObject({ type: 'success' });
    const fails = await runAction('http', { url: s.url, expect: { json: 'size(json.checks) > 2' } });
    expect(fails).toMatchObject({ type: 'failure', reason: 'expectation-failed' });
    if (fails.type === 'failure') expect(fails.message).toContain('expected `size(json.checks) > 2` to hold, got false');
    const bad = await runAction('http', { url: s.url, expect: { json: 'json.status ==' } });
    expect(bad).toMatchObject({ type: 'failure', reason: 'invalid-input' });
    expect(s.requests).toHaveLength(2);
  });

  it('sends a JSON body with its content type, and headers', async () => {
    const s = await serve({ status: 201 });
    const outcome = await runAction('http', { url: `${s.url}/deploys`, method: 'POST', json: { version: '1.2.3', replicas: 4 }, headers: { 'x-request-id': 'abc' } });
    expect(outcome).toMatchObject({ type: 'success', outputs: { status: 201 } });
    expect(s.requests[0]).toMatchObject({ method: 'POST', body: '{"version":"1.2.3","replicas":4}' });
    expect(s.requests[0]?.headers['content-type']).toBe('application/json');
    expect(s.requests[0]?.headers['x-request-id']).toBe('abc');
  });

  it('names a refused connection clearly', async () => {
    const s = await serve({ status: 200 });
    const url = s.url;
    await s.close();
    server = undefined;
    const outcome = await runAction('http', { url: `${url}/health` });
    expect(outcome).toMatchObject({ type: 'failure', reason: 'connection-error', errorKind: 'ECONNREFUSED' });
    if (outcome.type === 'failure') expect(outcome.message).toContain('connection refused');
    // In a health check a refused connection is one more bad answer.
    expect(await runAction('http', { url, retries: 1 }, fakeContext({ clock: instantClock() }))).toMatchObject({ type: 'failure', reason: 'connection-error', outputs: { checks: 2 } });
  });

  it('gives up on a request after its own timeout', async () => {
    const s = await serve({ status: 200, delayMs: 5_000 });
    const outcome = await runAction('http', { url: s.url, timeout: '100ms' });
    expect(outcome).toMatchObject({ type: 'failure', reason: 'connection-error', errorKind: 'ETIMEDOUT' });
    if (outcome.type === 'failure') expect(outcome.message).toContain('no answer');
  });

  it('rejects input an expression turned bad', async () => {
    expect(await runAction('http', { url: 'ftp://x' })).toMatchObject({ type: 'failure', reason: 'invalid-input' });
    expect(await runAction('http', { url: 'http://127.0.0.1:1', method: 'GET', body: 'x' })).toMatchObject({ type: 'failure', reason: 'invalid-input' });
    expect(await runAction('http', { url: 'http://127.0.0.1:1', expect: { status: 'ok' } })).toMatchObject({ type: 'failure', reason: 'invalid-input' });
  });
});

describe('http: health check (seed 000 semantics)', () => {
  it('succeeds after healthy_threshold good answers in a row, tolerating fewer bad ones than unhealthy_threshold', async () => {
    const s = await serve({ status: 503 }, { status: 200 }, { status: 503 }, { status: 503 }, { status: 200 }, { status: 200 }, { status: 500 });
    const clock = instantClock();
    const ctx = fakeContext({ clock });
    const outcome = await runAction('http', { url: s.url, expect: { status: 200 }, interval: '30s', healthy_threshold: 2, unhealthy_threshold: 3 }, ctx);
    expect(outcome).toMatchObject({ type: 'success', outputs: { status: 200, checks: 6 } });
    expect(s.requests).toHaveLength(6);
    expect(clock.slept).toEqual([30_000, 30_000, 30_000, 30_000, 30_000]);
    expect(ctx.recorded.progress[0]).toContain('check 1: expected status 200, got 503');
    expect(ctx.recorded.progress.at(-1)).toBe('check 6: 200 ok (2/2 healthy)');
  });

  it('fails after unhealthy_threshold bad answers in a row', async () => {
    const s = await serve({ status: 200 }, { status: 503 }, { status: 503 }, { status: 503 }, { status: 200 });
    const outcome = await runAction('http', { url: s.url, interval: 10, healthy_threshold: 2, unhealthy_threshold: 3 }, fakeContext({ clock: instantClock() }));
    expect(outcome).toMatchObject({ type: 'failure', reason: 'http-error', outputs: { status: 503, checks: 4 } });
    if (outcome.type === 'failure') expect(outcome.message).toContain('3 bad answer(s) in a row, unhealthy_threshold 3');
    expect(s.requests).toHaveLength(4);
  });

  it('tolerates `retries` bad answers before failing', async () => {
    const s = await serve({ status: 502 }, { status: 502 }, { status: 204 });
    expect(await runAction('http', { url: s.url, retries: 2 }, fakeContext({ clock: instantClock() }))).toMatchObject({ type: 'success', outputs: { checks: 3 } });
    await s.close();
    const t = await serve({ status: 502 });
    expect(await runAction('http', { url: t.url, retries: 1 }, fakeContext({ clock: instantClock() }))).toMatchObject({ type: 'failure', outputs: { checks: 2 } });
  });

  it('stops with a timeout when the step timeout aborts the loop', async () => {
    const s = await serve({ status: 503 });
    const controller = new AbortController();
    const ctx = fakeContext({
      signal: controller.signal,
      timeoutMs: 60_000,
      clock: { now: () => 0, sleep: async () => controller.abort(timeoutError(60_000)) },
    });
    const outcome = await runAction('http', { url: s.url, healthy_threshold: 1, unhealthy_threshold: 100 }, ctx);
    expect(outcome).toMatchObject({ type: 'failure', reason: 'timeout' });
    if (outcome.type === 'failure') expect(outcome.message).toContain('timed out after 1m');
  });
});

describe('http: effect and plan', () => {
  it('is a read for GET and HEAD, a write otherwise, and a read when the step says readonly', () => {
    expect(httpDefinition.effect({ url: 'x' }, { readonly: false })).toBe('read');
    expect(httpDefinition.effect({ url: 'x', method: 'head' }, { readonly: false })).toBe('read');
    expect(httpDefinition.effect({ url: 'x', method: 'POST' }, { readonly: false })).toBe('write');
    expect(httpDefinition.effect({ url: 'x', method: 'POST' }, { readonly: true })).toBe('read');
  });

  it('describes the request, its body and what it expects, hiding credentials', async () => {
    const impl = await load('http');
    const plan = await impl.plan(
      {
        url: 'https://api.example.com/deploys',
        method: 'POST',
        headers: { Authorization: 'Bearer abc', 'x-team': 'sre' },
        json: { version: '1.2.3' },
        expect: { status: [200, 201] },
        healthy_threshold: 2,
        unhealthy_threshold: 3,
        interval: '10s',
        timeout: '5s',
      },
      fakeContext(),
    );
    expect(plan).toEqual({
      summary: 'POST https://api.example.com/deploys',
      details: [
        'Authorization: <hidden>',
        'x-team: sre',
        'content-type: application/json',
        '{',
        '  "version": "1.2.3"',
        '}',
        'expect status 200 or 201',
        'every 10s until 2 good answer(s) in a row; fail after 3 bad answer(s) in a row; 5s per request',
      ],
    });
  });
});
