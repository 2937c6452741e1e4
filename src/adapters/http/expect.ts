import type { FailureReason } from '../types';
import { deepEqual, getPath } from './json-path';

export interface Expectations {
  /** Accepted statuses; undefined means any 2xx. */
  readonly status?: readonly number[];
  readonly bodyContains?: string;
  /** JSON path → expected value. */
  readonly json?: Readonly<Record<string, unknown>>;
}

export interface Answer {
  readonly status: number;
  readonly statusText: string;
  readonly body: string;
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
    for (const [path, wanted] of Object.entries(expect.json)) {
      const got = getPath(parsed, path);
      if (!got.found) return { ok: false, reason: 'expectation-failed', message: `expected ${path} to be ${show(wanted)}, but the JSON body has no ${path}` };
      if (!deepEqual(got.value, wanted)) return { ok: false, reason: 'expectation-failed', message: `expected ${path} to be ${show(wanted)}, got ${show(got.value)}` };
    }
  }
  return { ok: true };
}

export function describeExpectations(expect: Expectations): string[] {
  const lines = [expect.status === undefined ? 'expect status 2xx' : `expect status ${expect.status.join(' or ')}`];
  if (expect.bodyContains !== undefined) lines.push(`expect body to contain ${JSON.stringify(expect.bodyContains)}`);
  for (const [path, value] of Object.entries(expect.json ?? {})) lines.push(`expect ${path} == ${show(value)}`);
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
