import type { FailureReason } from '../types';
import { parseCel } from '../../expr/cel';
import { fromCel, toCel } from '../../expr/values';
import { deepEqual, getPath } from './json-path';

export interface Expectations {
  /** Accepted statuses; undefined means any 2xx. */
  readonly status?: readonly number[];
  readonly bodyContains?: string;
  /** JSON path → expected value, or a CEL condition over `json`, `status`, `body`, `headers`. */
  readonly json?: Readonly<Record<string, unknown>> | string;
}

export interface Answer {
  readonly status: number;
  readonly statusText: string;
  readonly body: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export type Verdict = { readonly ok: true } | { readonly ok: false; readonly reason: FailureReason; readonly message: string };

/** Checks one answer against the expectations; the message says what was expected and what came. */
export function checkAnswer(answer: Answer, expect: Expectations): Verdict {
  if (expect.status === undefined) {
    if (answer.status < 200 || answer.status > 299) {
      return { ok: false, reason: 'http-error', message: `expected a 2xx status, got ${statusLine(answer)}${snippet(answer.body)}` };
    }
  } else if (!expect.status.includes(answer.status)) {
    const wanted = expect.status.length === 1 ? `status ${expect.status[0]}` : `a status in ${expect.status.join(', ')}`;
    return { ok: false, reason: 'expectation-failed', message: `expected ${wanted}, got ${statusLine(answer)}${snippet(answer.body)}` };
  }
  if (expect.bodyContains !== undefined && !answer.body.includes(expect.bodyContains)) {
    return { ok: false, reason: 'expectation-failed', message: `expected the body to contain ${JSON.stringify(expect.bodyContains)}, got${snippet(answer.body) || ' an empty body'}` };
  }
  if (expect.json !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(answer.body);
    } catch {
      return { ok: false, reason: 'expectation-failed', message: `expected a JSON body, got${snippet(answer.body) || ' an empty body'}` };
    }
    if (typeof expect.json === 'string') return checkCondition(expect.json, answer, parsed);
    for (const [path, wanted] of Object.entries(expect.json)) {
      const got = getPath(parsed, path);
      if (!got.found) return { ok: false, reason: 'expectation-failed', message: `expected ${path} to be ${show(wanted)}, but the JSON body has no ${path}` };
      if (!deepEqual(got.value, wanted)) return { ok: false, reason: 'expectation-failed', message: `expected ${path} to be ${show(wanted)}, got ${show(got.value)}` };
    }
  }
  return { ok: true };
}

/** `expect: { json: "json.status == 'ok' && size(json.checks) > 0" }`: CEL over the answer. */
function checkCondition(source: string, answer: Answer, json: unknown): Verdict {
  const parsed = parseCel(source);
  if (!parsed.ok) return { ok: false, reason: 'invalid-input', message: `\`expect.json\` is not a valid expression: ${parsed.message}` };
  let value: unknown;
  try {
    value = fromCel(parsed.evaluate({ json: toCel(json), status: BigInt(answer.status), body: answer.body, headers: answer.headers ?? {} }));
  } catch (error) {
    const e = error as { summary?: string; message?: string };
    return { ok: false, reason: 'expectation-failed', message: `expected \`${source}\` to hold, but it could not be evaluated on the answer: ${e.summary ?? e.message ?? String(error)}` };
  }
  if (value === true) return { ok: true };
  if (value === false) return { ok: false, reason: 'expectation-failed', message: `expected \`${source}\` to hold, got false${snippet(answer.body)}` };
  return { ok: false, reason: 'invalid-input', message: `\`expect.json\` must be true or false, but \`${source}\` gave ${show(value)}` };
}

export function describeExpectations(expect: Expectations): string[] {
  const lines = [expect.status === undefined ? 'expect status 2xx' : `expect status ${expect.status.join(' or ')}`];
  if (expect.bodyContains !== undefined) lines.push(`expect body to contain ${JSON.stringify(expect.bodyContains)}`);
  if (typeof expect.json === 'string') lines.push(`expect ${expect.json}`);
  else for (const [path, value] of Object.entries(expect.json ?? {})) lines.push(`expect ${path} == ${show(value)}`);
  return lines;
}

function statusLine(answer: Answer): string {
  return answer.statusText ? `${answer.status} ${answer.statusText}` : String(answer.status);
}

function snippet(body: string): string {
  const text = body.trim().replace(/\s+/g, ' ');
  if (text === '') return '';
  return ` (body: ${text.length > 200 ? `${text.slice(0, 200)}…` : text})`;
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}
