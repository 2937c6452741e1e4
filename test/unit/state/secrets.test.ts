import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ParamSpec, SecretSpec } from '../../../src/runbook/model';
import type { Answer, Prompter } from '../../../src/ui/prompter';
import { Redactor } from '../../../src/state/redactor';
import { givenSecretParams, redactParams, registerSecretParams, resolveSecrets } from '../../../src/state/secrets';
import { OpsctlError } from '../../../src/util/errors';

const range = { file: '/rb/deploy.yaml', start: { line: 5, col: 3 }, end: { line: 5, col: 20 } } as unknown as SecretSpec['range'];
const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

function prompter(answers: Answer<string>[]): Prompter & { asked: string[] } {
  const asked: string[] = [];
  return {
    interactive: true,
    asked,
    confirm: async () => ({ type: 'no-terminal' }),
    select: async () => ({ type: 'no-terminal' }),
    input: async (message, options) => {
      asked.push(`${message}${options?.secret ? ' (secret)' : ''}`);
      const answer = answers.shift();
      if (!answer) throw new Error(`unexpected prompt: ${message}`);
      return answer;
    },
  };
}

describe('resolveSecrets', () => {
  it('reads secrets from env, file and prompt and registers each with the redactor', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'opsctl-secrets-'));
    dirs.push(dir);
    await writeFile(join(dir, 'token.txt'), 'file-token-123\n');
    const specs: SecretSpec[] = [
      { name: 'db', from: 'env', env: 'PGPASSWORD', range },
      { name: 'token', from: 'file', path: 'token.txt', range },
      { name: 'otp', from: 'prompt', message: 'One-time code', range },
    ];
    const redactor = new Redactor();
    const ask = prompter([{ type: 'answered', value: 'prompted-otp' }]);
    const values = await resolveSecrets(specs, { env: { PGPASSWORD: 'pg-pass-word' }, prompter: ask, baseDir: dir }, redactor);
    expect(values).toEqual({ db: 'pg-pass-word', token: 'file-token-123', otp: 'prompted-otp' });
    expect(ask.asked).toEqual(['One-time code (secret)']);
    expect(redactor.redact('pg-pass-word file-token-123 prompted-otp')).toBe('*** *** ***');
  });

  it('names every missing env var and file in one exit-2 error', async () => {
    const specs: SecretSpec[] = [
      { name: 'db', from: 'env', env: 'PGPASSWORD', range },
      { name: 'token', from: 'file', path: '/nonexistent/opsctl/token', range },
    ];
    const error = await resolveSecrets(specs, { env: {}, prompter: prompter([]), baseDir: '/' }, new Redactor()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpsctlError);
    expect((error as OpsctlError).exitCode).toBe(2);
    expect((error as OpsctlError).message).toBe(
      '2 secrets could not be read (declared in /rb/deploy.yaml):\n' +
        '  - `db`: environment variable `PGPASSWORD` is not set\n' +
        '  - `token`: file `/nonexistent/opsctl/token` does not exist',
    );
  });

  it('explains that a prompted secret cannot be asked without a terminal', async () => {
    const specs: SecretSpec[] = [{ name: 'otp', from: 'prompt', range }];
    await expect(resolveSecrets(specs, { env: {}, prompter: prompter([{ type: 'no-terminal' }]), baseDir: '/' }, new Redactor())).rejects.toThrow(
      /`otp`: it is read from a prompt, and there is no terminal/,
    );
  });

  it('treats Ctrl-C at the prompt as not confirmed (exit 3)', async () => {
    const specs: SecretSpec[] = [{ name: 'otp', from: 'prompt', range }];
    const error = await resolveSecrets(specs, { env: {}, prompter: prompter([{ type: 'cancelled' }]), baseDir: '/' }, new Redactor()).catch((e: unknown) => e);
    expect((error as OpsctlError).exitCode).toBe(3);
  });
});

describe('secret params', () => {
  const specs = [
    { name: 'version', type: 'string', required: true, secret: false },
    { name: 'api_key', type: 'string', required: true, secret: true },
  ] as unknown as ParamSpec[];

  it('registers secret params and replaces them whole in records', () => {
    const redactor = new Redactor();
    const values = { version: 'v-with-key-abcd1234', api_key: 'abcd1234' };
    registerSecretParams(specs, values, redactor);
    expect(redactor.redact('key abcd1234')).toBe('key ***');
    expect(redactParams(specs, values, redactor)).toEqual({ version: 'v-with-key-***', api_key: '***' });
  });

  it('F13: leaves out a secret param at its default, so *** always means it was given', () => {
    const withDefault = [...specs, { name: 'token', type: 'string', required: false, secret: true, default: '' }] as unknown as ParamSpec[];
    expect(redactParams(withDefault, { version: '1', api_key: 'k', token: '' }, new Redactor())).toEqual({ version: '1', api_key: '***' });
    expect(redactParams(withDefault, { version: '1', api_key: 'k', token: 'TOKSECRET' }, new Redactor())).toEqual({ version: '1', api_key: '***', token: '***' });
    expect(givenSecretParams({ version: '1', api_key: '***', token: '***' })).toEqual(['api_key', 'token']);
  });
});
