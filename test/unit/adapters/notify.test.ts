import { afterEach, describe, expect, it } from 'vitest';
import { fakeContext, load, runAction, startServer, testConfig, type TestServer } from './helpers';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('notify', () => {
  it('POSTs Slack-compatible JSON to the webhook', async () => {
    server = await startServer(() => ({ status: 200, body: 'ok' }));
    const outcome = await runAction('notify', {
      text: 'Deploy 1.2.3 to production started by ana',
      webhook: `${server.url}/hooks/T000/B000/XXXX`,
      channel: '#deploys',
      fields: { version: '1.2.3', replicas: 4 },
    });
    expect(outcome).toMatchObject({ type: 'success', outputs: { status: 200 } });
    expect(server.requests).toHaveLength(1);
    const request = server.requests[0]!;
    expect(request.method).toBe('POST');
    expect(request.url).toBe('/hooks/T000/B000/XXXX');
    expect(request.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request.body)).toEqual({
      text: 'Deploy 1.2.3 to production started by ana',
      channel: '#deploys',
      attachments: [{ fields: [{ title: 'version', value: '1.2.3', short: true }, { title: 'replicas', value: '4', short: true }] }],
    });
  });

  it('uses notify.webhook from opsctl.yaml, filling in an env reference', async () => {
    server = await startServer(() => ({ status: 204 }));
    const ctx = fakeContext({
      config: { ...testConfig, notify: { webhook: '${{ env.TEST_SLACK_URL }}' } },
      env: { TEST_SLACK_URL: `${server.url}/from-config` },
    });
    expect(await runAction('notify', { text: 'hi' }, ctx)).toMatchObject({ type: 'success', outputs: { status: 204 } });
    expect(server.requests[0]?.url).toBe('/from-config');
    expect(JSON.parse(server.requests[0]?.body ?? '')).toEqual({ text: 'hi' });
  });

  it('fails on a non-2xx answer with the status, without printing the webhook path', async () => {
    server = await startServer(() => ({ status: 404, body: 'no_service' }));
    const outcome = await runAction('notify', { text: 'hi', webhook: `${server.url}/secret-path` });
    expect(outcome).toMatchObject({ type: 'failure', reason: 'http-error', outputs: { status: 404 } });
    if (outcome.type !== 'failure') throw new Error('expected failure');
    expect(outcome.message).toBe(`the notify webhook at ${server.url} answered 404 Not Found: no_service`);
    expect(outcome.message).not.toContain('secret-path');
  });

  it('is skipped, saying where to configure one, when neither the step nor opsctl.yaml has a webhook (F18)', async () => {
    const outcome = await runAction('notify', { text: 'hi' });
    expect(outcome).toMatchObject({ type: 'success', skipped: true, skipReason: 'no webhook configured (set notify.webhook in opsctl.yaml)' });
    const impl = await load('notify');
    expect((await impl.plan({ text: 'hi' }, fakeContext())).summary).toBe('notify skipped: no webhook configured (set notify.webhook in opsctl.yaml)');
  });

  it('fails when the step names a webhook that resolves to nothing', async () => {
    const outcome = await runAction('notify', { text: 'hi', webhook: '' });
    expect(outcome).toMatchObject({ type: 'failure', reason: 'invalid-input' });
    if (outcome.type === 'failure') expect(outcome.message).toContain('`notify: { webhook: ... }` in opsctl.yaml');
  });

  it('plans the JSON it would POST, showing only the webhook host', async () => {
    const impl = await load('notify');
    const plan = await impl.plan({ text: 'Deploy started', webhook: 'https://hooks.slack.com/services/T0/B0/SECRET', channel: '#ops' }, fakeContext());
    expect(plan).toEqual({ summary: 'POST https://hooks.slack.com/… (webhook)', details: ['{', '  "text": "Deploy started",', '  "channel": "#ops"', '}'] });
  });
  it('F32: never posts a declared secret to the chat: text and fields go through the redactor', async () => {
    server = await startServer(() => ({ status: 200, body: 'ok' }));
    const ctx = fakeContext();
    ctx.registerSecret('NotifyCanary77');
    const outcome = await runAction('notify', { text: 'db password is NotifyCanary77', webhook: `${server.url}/hook`, fields: { url: 'postgres://app:NotifyCanary77@db/app' } }, ctx);
    expect(outcome).toMatchObject({ type: 'success' });
    const body = server.requests[0]?.body ?? '';
    expect(body).not.toContain('NotifyCanary77');
    expect(JSON.parse(body)).toMatchObject({ text: 'db password is ***', attachments: [{ fields: [{ title: 'url', value: 'postgres://app:***@db/app' }] }] });
  });
});
