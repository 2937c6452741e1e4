import type { ActionImpl, PlanContext } from '../types';
import { InputReader, type Parsed } from '../core/input';
import { hostOf, sendRequest } from '../core/fetch';
import { abortedOutcome, failure, success } from '../core/outcome';
import { unreachable } from '../../util/unreachable';

export const NOTIFY_TIMEOUT_MS = 10_000;

interface NotifyInput {
  readonly webhook: string;
  readonly payload: Readonly<Record<string, unknown>>;
  readonly timeoutMs: number;
}

/** The Slack-compatible JSON: `text`, an optional `channel`, `fields` as one attachment. */
export function buildPayload(text: string, channel: string | undefined, fields: Readonly<Record<string, string>> | undefined): Record<string, unknown> {
  const payload: Record<string, unknown> = { text };
  if (channel) payload.channel = channel;
  if (fields && Object.keys(fields).length > 0) {
    payload.attachments = [{ fields: Object.entries(fields).map(([title, value]) => ({ title, value, short: value.length <= 40 })) }];
  }
  return payload;
}

/**
 * Neither the step nor opsctl.yaml names a webhook: notifications are simply not set up here (a
 * fresh `opsctl init` project). The step is skipped, saying how to set it up, rather than failing.
 */
export const NO_WEBHOOK = 'no webhook configured (set notify.webhook in opsctl.yaml)';

function notConfigured(input: Readonly<Record<string, unknown>>, ctx: PlanContext): boolean {
  return input.webhook === undefined && (ctx.config.notify.webhook ?? '').trim() === '';
}

function parse(input: Readonly<Record<string, unknown>>, ctx: PlanContext): Parsed<NotifyInput> {
  const r = new InputReader('notify', input);
  const text = r.requiredString('text');
  const channel = r.string('channel');
  const fields = r.stringMap('fields');
  const timeoutMs = r.durationMs('timeout') ?? NOTIFY_TIMEOUT_MS;
  // A chat channel is a sink read by many and kept forever, like the terminal and the journal:
  // declared secrets never reach it (sending a secret somewhere on purpose is `http:` with a body).
  const redactedFields = fields ? Object.fromEntries(Object.entries(fields).map(([name, value]) => [name, ctx.redact(value)])) : undefined;
  const webhook = resolveEnvReferences(r.string('webhook') ?? ctx.config.notify.webhook ?? '', ctx.env);
  if (webhook === '') r.fail('`notify` has no webhook: set `webhook:` on the step or `notify: { webhook: ... }` in opsctl.yaml');
  else if (webhook.includes('${{')) r.fail('the notify webhook holds an expression that could not be resolved; check `notify.webhook` in opsctl.yaml');
  else if (!/^https?:\/\//i.test(webhook)) r.fail(`the notify webhook must be an http(s) URL, got \`${hostOf(webhook)}\``);
  return r.done({ webhook, payload: buildPayload(ctx.redact(text), channel, redactedFields), timeoutMs });
}

/**
 * `opsctl.yaml` may say `webhook: "${{ env.SLACK_WEBHOOK_URL }}"`; when the config loader left
 * it as written, the environment reference is filled in here (nothing else is evaluated).
 */
function resolveEnvReferences(text: string, env: Readonly<Record<string, string>>): string {
  return text.replace(/\$\{\{\s*env\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g, (whole, name: string) => env[name] ?? process.env[name] ?? whole);
}

const impl: ActionImpl = {
  async plan(input, ctx) {
    if (notConfigured(input, ctx)) return { summary: `notify skipped: ${NO_WEBHOOK}` };
    const parsed = parse(input, ctx);
    if (!parsed.ok) return { summary: `notify (invalid: ${parsed.message})` };
    // The webhook's path is its credential: show only where it goes.
    return {
      summary: `POST ${hostOf(parsed.value.webhook)}/… (webhook)`,
      details: ctx.redact(JSON.stringify(parsed.value.payload, null, 2)).split('\n'),
    };
  },

  async run(input, ctx) {
    if (notConfigured(input, ctx)) return success({ sent: false }, { skipped: true, skipReason: NO_WEBHOOK });
    const parsed = parse(input, ctx);
    if (!parsed.ok) return failure('invalid-input', parsed.message);
    const { webhook, payload, timeoutMs } = parsed.value;
    const result = await sendRequest(
      { method: 'POST', url: webhook, headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload), timeoutMs },
      ctx.signal,
    );
    switch (result.type) {
      case 'response':
        if (result.status >= 200 && result.status < 300) return success({ status: result.status });
        return failure('http-error', `the notify webhook at ${hostOf(webhook)} answered ${result.status} ${result.statusText}${bodyHint(result.body)}`, {
          errorKind: `HTTP${result.status}`,
          outputs: { status: result.status },
        });
      case 'request-timeout':
        return failure('connection-error', `notify: ${result.message}`, { errorKind: 'ETIMEDOUT' });
      case 'connection-error':
        return failure('connection-error', `notify: ${result.message}`, { errorKind: result.kind });
      case 'aborted':
        return abortedOutcome(ctx.signal, 'the notification', ctx.timeoutMs);
      default:
        return unreachable(result);
    }
  },
};

function bodyHint(body: string): string {
  const text = body.trim().slice(0, 200);
  return text ? `: ${text}` : '';
}

export const { plan, run } = impl;
