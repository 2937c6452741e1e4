import type { ActionContext, ActionImpl, ActionOutcome, FailureReason, PlanContext, PlanDescription } from '../types';
import { InputReader, isRecord, type Parsed } from '../core/input';
import { sendRequest, type HttpRequest, type HttpResult } from '../core/fetch';
import { abortedOutcome, failure, success } from '../core/outcome';
import { checkAnswer, describeExpectations, type Expectations } from './expect';
import { HTTP_METHODS } from './definition';
import { parseCel } from '../../expr/cel';
import { formatDuration } from '../../util/duration';
import { unreachable } from '../../util/unreachable';

export const REQUEST_TIMEOUT_MS = 10_000;
export const CHECK_INTERVAL_MS = 5_000;

/** Header values never shown in a plan, whatever they hold. */
const SENSITIVE_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'x-api-key', 'x-auth-token']);

interface HttpInput {
  readonly request: HttpRequest;
  readonly expect: Expectations;
  readonly intervalMs: number;
  readonly healthyThreshold: number;
  readonly unhealthyThreshold: number;
}

function parse(input: Readonly<Record<string, unknown>>): Parsed<HttpInput> {
  const r = new InputReader('http', input);
  const url = r.requiredString('url');
  if (url !== '' && !/^https?:\/\//i.test(url)) r.fail(`\`http.url\` must start with http:// or https://, got \`${url}\``);
  const method = r.oneOf('method', HTTP_METHODS) ?? 'GET';
  const headers: Record<string, string> = { ...(r.stringMap('headers') ?? {}) };
  let body = r.string('body');
  if (r.has('json')) {
    if (body !== undefined) r.fail('`http` takes either `body` (text) or `json`, not both');
    body = JSON.stringify(r.raw('json'), (_key, value: unknown) => (typeof value === 'bigint' ? Number(value) : value));
    if (!Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
  }
  if (body !== undefined && (method === 'GET' || method === 'HEAD')) r.fail(`\`http\` cannot send a body with ${method}; set \`method\``);
  const timeoutMs = r.durationMs('timeout') ?? REQUEST_TIMEOUT_MS;
  const retries = r.number('retries', { integer: true, min: 0 });
  const healthyThreshold = r.number('healthy_threshold', { integer: true, min: 1 }) ?? 1;
  const unhealthyThreshold = r.number('unhealthy_threshold', { integer: true, min: 1 }) ?? (retries ?? 0) + 1;
  const intervalMs = r.durationMs('interval') ?? CHECK_INTERVAL_MS;
  const expect = parseExpect(r);
  return r.done({
    request: { method, url, headers, ...(body !== undefined ? { body } : {}), timeoutMs },
    expect,
    intervalMs,
    healthyThreshold,
    unhealthyThreshold,
  });
}

function parseExpect(r: InputReader): Expectations {
  const raw = r.record('expect');
  if (!raw) return {};
  const inner = new InputReader('http.expect', raw);
  let status: number[] | undefined;
  const rawStatus = raw.status;
  if (Array.isArray(rawStatus)) status = (inner.stringList('status') ?? []).map(Number);
  else if (rawStatus !== undefined && rawStatus !== null) status = [inner.number('status', { integer: true }) ?? NaN];
  if (status?.some((code) => !Number.isInteger(code) || code < 100 || code > 599)) inner.fail('`http.expect.status` must be HTTP status codes (100–599)');
  const bodyContains = inner.string('body_contains');
  const json = raw.json;
  if (json !== undefined && !isRecord(json) && typeof json !== 'string') {
    inner.fail('`http.expect.json` must map JSON paths to values, like `{ "$.status": "ok" }`, or be a condition like `json.status == "ok"`');
  }
  if (typeof json === 'string') {
    const parsed = parseCel(json);
    if (!parsed.ok) inner.fail(`\`http.expect.json\` is not a valid condition: ${parsed.message}`);
  }
  for (const problem of inner.problems) r.fail(problem);
  return {
    ...(status ? { status } : {}),
    ...(bodyContains !== undefined ? { bodyContains } : {}),
    ...(isRecord(json) || typeof json === 'string' ? { json } : {}),
  };
}

function isHealthCheck(input: HttpInput): boolean {
  return input.healthyThreshold > 1 || input.unhealthyThreshold > 1;
}

function describe(input: HttpInput, ctx: PlanContext): PlanDescription {
  const { request } = input;
  const details: string[] = [];
  for (const [name, value] of Object.entries(request.headers)) details.push(`${name}: ${SENSITIVE_HEADERS.has(name.toLowerCase()) ? '<hidden>' : value}`);
  if (request.body !== undefined) details.push(...prettyBody(request.body).split('\n'));
  details.push(...describeExpectations(input.expect));
  if (isHealthCheck(input)) {
    details.push(
      `every ${formatDuration(input.intervalMs)} until ${input.healthyThreshold} good answer(s) in a row; fail after ${input.unhealthyThreshold} bad answer(s) in a row; ${formatDuration(request.timeoutMs)} per request`,
    );
  }
  return { summary: ctx.redact(`${request.method} ${request.url}`), details: details.map(ctx.redact) };
}

function prettyBody(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

type Probe =
  | { readonly ok: true; readonly status: number; readonly body: string }
  | { readonly ok: false; readonly reason: FailureReason; readonly message: string; readonly errorKind?: string; readonly status?: number; readonly body?: string }
  | { readonly ok: 'aborted' };

function judge(result: HttpResult, expect: Expectations): Probe {
  switch (result.type) {
    case 'response': {
      const verdict = checkAnswer(result, expect);
      return verdict.ok
        ? { ok: true, status: result.status, body: result.body }
        : { ok: false, reason: verdict.reason, message: verdict.message, errorKind: `HTTP${result.status}`, status: result.status, body: result.body };
    }
    case 'request-timeout':
      return { ok: false, reason: 'connection-error', message: result.message, errorKind: 'ETIMEDOUT' };
    case 'connection-error':
      return { ok: false, reason: 'connection-error', message: result.message, errorKind: result.kind };
    case 'aborted':
      return { ok: 'aborted' };
    default:
      return unreachable(result);
  }
}

/**
 * One request, or a health check with seed 000's semantics: probe every `interval`; the step
 * succeeds after `healthy_threshold` good answers in a row and fails after `unhealthy_threshold`
 * bad ones in a row. The step's own `timeout` (the engine's signal) bounds the whole loop.
 */
async function check(input: HttpInput, ctx: ActionContext): Promise<ActionOutcome> {
  const { request } = input;
  const target = ctx.redact(`${request.method} ${request.url}`);
  const health = isHealthCheck(input);
  let good = 0;
  let bad = 0;
  for (let checks = 1; ; checks++) {
    const probe = judge(await sendRequest(request, ctx.signal), input.expect);
    if (probe.ok === 'aborted') return abortedOutcome(ctx.signal, target, ctx.timeoutMs, { outputs: { checks: checks - 1 } });
    if (probe.ok) {
      good++;
      bad = 0;
      if (health) ctx.progress(`check ${checks}: ${probe.status} ok (${good}/${input.healthyThreshold} healthy)`);
      if (good >= input.healthyThreshold) return success({ status: probe.status, checks }, { text: probe.body });
    } else {
      bad++;
      good = 0;
      const message = ctx.redact(probe.message);
      if (health) ctx.progress(`check ${checks}: ${message} (${bad}/${input.unhealthyThreshold} unhealthy)`);
      if (bad >= input.unhealthyThreshold) {
        const streak = health ? ` (${bad} bad answer(s) in a row, unhealthy_threshold ${input.unhealthyThreshold})` : '';
        return failure(probe.reason, `${target}: ${message}${streak}`, {
          ...(probe.errorKind ? { errorKind: probe.errorKind } : {}),
          outputs: { checks, ...(probe.status !== undefined ? { status: probe.status } : {}) },
        });
      }
    }
    try {
      await ctx.clock.sleep(input.intervalMs, ctx.signal);
    } catch (error) {
      if (ctx.signal.aborted) return abortedOutcome(ctx.signal, target, ctx.timeoutMs, { outputs: { checks } });
      throw error;
    }
  }
}

const impl: ActionImpl = {
  async plan(input, ctx) {
    const parsed = parse(input);
    return parsed.ok ? describe(parsed.value, ctx) : { summary: `http (invalid: ${parsed.message})` };
  },

  async run(input, ctx) {
    const parsed = parse(input);
    if (!parsed.ok) return failure('invalid-input', parsed.message);
    return check(parsed.value, ctx);
  },
};

export const { plan, run } = impl;
