import { describe, expect, it } from 'vitest';
import { Redactor, REDACTED, base64Forms, secretForms, urlPasswordsIn } from '../../../src/state/redactor';

describe('Redactor', () => {
  it('returns text unchanged when nothing is registered', () => {
    const r = new Redactor();
    expect(r.redact('hunter22 and more')).toBe('hunter22 and more');
  });

  it('hides a secret wherever it appears, as often as it appears', () => {
    const r = new Redactor();
    r.add('s3cr3t-pass');
    expect(r.redact('password=s3cr3t-pass; again s3cr3t-pass.')).toBe(`password=${REDACTED}; again ${REDACTED}.`);
  });

  it('treats regular-expression characters in secrets as text', () => {
    const r = new Redactor();
    r.add('a.b*c+(d)|$^[x]\\/');
    expect(r.redact('x a.b*c+(d)|$^[x]\\/ y aXbbc')).toBe(`x ${REDACTED} y aXbbc`);
  });

  it('ignores fragments too short to hide safely', () => {
    const r = new Redactor();
    r.add('abc');
    r.add('');
    expect(r.size).toBe(0);
    expect(r.redact('abc abc')).toBe('abc abc');
  });

  it('hides each line of a multi-line secret on its own', () => {
    const r = new Redactor();
    const key = '-----BEGIN KEY-----\nMIIEvQIBADANBgkqhkiG9w0B\n  AQEFAASCBKcwggSjAgEAAoIBAQ\nab\n-----END KEY-----';
    r.add(key);
    const lines = key.split('\n').map((line) => r.redact(`> ${line}`));
    expect(lines).toEqual([`> ${REDACTED}`, `> ${REDACTED}`, `> ${REDACTED}`, '> ab', `> ${REDACTED}`]);
    // A line printed without its indentation is still hidden.
    expect(r.redact('AQEFAASCBKcwggSjAgEAAoIBAQ')).toBe(REDACTED);
    // The whole value, printed at once, leaves no line behind.
    expect(r.redact(key)).not.toMatch(/MIIE|AQEF|BEGIN KEY/);
  });

  it('hides the base64 of a secret and of each of its lines', () => {
    const r = new Redactor();
    const secret = 'canary-line-one\ncanary-line-two';
    r.add(secret);
    const whole = Buffer.from(secret).toString('base64');
    const line2 = Buffer.from('canary-line-two').toString('base64');
    expect(r.redact(`x ${whole} y`)).toBe(`x ${REDACTED} y`);
    expect(r.redact(line2)).toBe(REDACTED);
  });

  it('hides base64 of a secret embedded at any byte offset of a longer value', () => {
    const r = new Redactor();
    r.add('Tr0ub4dor&3');
    for (const prefix of ['', 'u:', 'us:', 'use:', 'user:']) {
      const encoded = Buffer.from(`${prefix}Tr0ub4dor&3@host`).toString('base64');
      expect(r.redact(encoded), prefix).toContain(REDACTED);
      // What is left cannot be decoded back to the secret.
      expect(Buffer.from(r.redact(encoded).replace(REDACTED, ''), 'base64').toString('latin1')).not.toContain('ub4dor');
    }
  });

  it('hides URL-safe base64 and URL-encoded forms', () => {
    const r = new Redactor();
    const secret = 'p@ss w/rd?&=??>>';
    r.add(secret);
    expect(r.redact(`https://h/?q=${encodeURIComponent(secret)}`)).toBe(`https://h/?q=${REDACTED}`);
    expect(r.redact(`q=${encodeURIComponent(secret).replace(/%20/g, '+')}`)).toBe(`q=${REDACTED}`);
    const urlSafe = Buffer.from(secret).toString('base64url');
    expect(r.redact(urlSafe)).toBe(REDACTED);
  });

  it('prefers the longer secret when two start at the same place', () => {
    const r = new Redactor();
    r.add('token');
    r.add('token-with-suffix');
    expect(r.redact('token-with-suffix!')).toBe(`${REDACTED}!`);
  });

  it('knows its longest hidden text, for cutting streams safely', () => {
    const r = new Redactor();
    expect(r.longest).toBe(0);
    r.add('abcd');
    r.add('a-much-longer-secret');
    expect(r.longest).toBe(Math.max(...[...secretForms('a-much-longer-secret')].map((f) => f.length)));
  });

  it('picks up secrets added after a first use', () => {
    const r = new Redactor();
    r.add('first-secret');
    expect(r.redact('second-secret')).toBe('second-secret');
    r.add('second-secret');
    expect(r.redact('first-secret second-secret')).toBe(`${REDACTED} ${REDACTED}`);
  });

  it('redacts values deeply without touching the original', () => {
    const r = new Redactor();
    r.add('hunter22');
    r.add('987654');
    const value = { a: 'pw hunter22', list: ['hunter22', 1, true, null], nested: { n: 987654, ok: 12 }, hunter22: 'key' };
    expect(r.redactValue(value)).toEqual({ a: `pw ${REDACTED}`, list: [REDACTED, 1, true, null], nested: { n: REDACTED, ok: 12 }, [REDACTED]: 'key' });
    expect(value.a).toBe('pw hunter22');
  });

  it('copes with circular values', () => {
    const r = new Redactor();
    r.add('hunter22');
    const value: Record<string, unknown> = { a: 'hunter22' };
    value.self = value;
    expect(r.redactValue(value)).toEqual({ a: REDACTED, self: '[circular]' });
  });

  it('keeps up with long output and many secrets', () => {
    const r = new Redactor();
    for (let i = 0; i < 200; i++) r.add(`secret-value-number-${i}-${'x'.repeat(i % 7)}`);
    const line = 'a fairly ordinary log line with nothing to hide in it at all, 0123456789 '.repeat(4);
    let out = 0;
    for (let i = 0; i < 20_000; i++) out += r.redact(line).length;
    expect(out).toBe(line.length * 20_000);
    expect(r.redact(`x secret-value-number-13-xxxxxx y`)).toBe(`x ${REDACTED} y`);
  });
});

describe('secret forms', () => {
  it('lists the value, its lines, and encodings', () => {
    const forms = secretForms('line-one\nline-two');
    expect(forms).toContain('line-one\nline-two');
    expect(forms).toContain('line-one');
    expect(forms).toContain(Buffer.from('line-two').toString('base64'));
    expect(forms).toContain(encodeURIComponent('line-one\nline-two'));
  });

  it('keeps only characters fixed by the secret at each alignment', () => {
    const forms = base64Forms('abcdef');
    for (const prefix of ['', 'x', 'xy']) {
      const encoded = Buffer.from(`${prefix}abcdef`).toString('base64');
      expect(forms.some((form) => encoded.includes(form)), prefix).toBe(true);
    }
  });
});

describe('the active redactor and the error printer', () => {
  it('hides the run’s secrets in errors printed by handleError', async () => {
    const { handleError } = await import('../../../src/cli/handle-error');
    const { OpsctlError } = await import('../../../src/util/errors');
    const { setActiveRedactor } = await import('../../../src/state/redactor');
    const r = new Redactor();
    r.add('hunter2-secret');
    setActiveRedactor(r);
    let printed = '';
    const sink = { write: (text: string) => ((printed += text), true) } as unknown as NodeJS.WritableStream;
    try {
      expect(handleError(new OpsctlError('cannot reach https://u:hunter2-secret@db', 4, 'check hunter2-secret'), sink)).toBe(4);
      handleError(new Error('boom hunter2-secret'), sink);
    } finally {
      setActiveRedactor(undefined);
    }
    expect(printed).toContain('cannot reach https://u:***@db');
    expect(printed).toContain('hint: check ***');
    expect(printed).toContain('internal error: boom ***');
    expect(printed).not.toContain('hunter2');
  });
});

describe('Redactor.safeCut', () => {
  it('moves a cut that would split a secret back to where the secret starts', () => {
    const redactor = new Redactor();
    redactor.add('s3cr3t-value');
    const text = `${'x'.repeat(10)}s3cr3t-value${'y'.repeat(40)}`;
    expect(redactor.safeCut(text, 15)).toBe(10);
    expect(redactor.safeCut(text, 30)).toBe(30);
  });

  it('keeps back the last longest - 1 characters, where a secret may have begun', () => {
    const redactor = new Redactor();
    redactor.add('s3cr3t-value');
    const text = `${'x'.repeat(50)}s3cr3t`;
    const cut = redactor.safeCut(text, text.length);
    expect(text.length - cut).toBeGreaterThanOrEqual('s3cr3t-value'.length - 1);
  });

  it('cuts where asked when there is nothing to hide', () => {
    expect(new Redactor().safeCut('abcdef', 3)).toBe(3);
  });

  it('with LineSplitter, never lets a secret out in two halves', async () => {
    const { LineSplitter } = await import('../../../src/adapters/shell/buffers');
    const redactor = new Redactor();
    const secret = 'TOPSECRET-0123456789';
    redactor.add(secret);
    const pieces: string[] = [];
    const split = new LineSplitter((line) => pieces.push(redactor.redact(line)), 64, (text, at) => redactor.safeCut(text, at));
    // Every alignment of the secret against the 64-character cut.
    for (let shift = 0; shift < 64; shift++) split.push(Buffer.from(`${'a'.repeat(shift)}${secret}${'b'.repeat(70)}`));
    split.end();
    const joined = pieces.join('');
    expect(joined).not.toContain('TOPSECRET');
    for (let n = 4; n < secret.length; n++) {
      for (const piece of pieces) {
        expect(piece.endsWith(secret.slice(0, n)) || piece.startsWith(secret.slice(-n))).toBe(false);
      }
    }
  });
});

describe('passwords in URLs (F30)', () => {
  it('hides the password of any scheme://user:PASSWORD@ URL, registered or not', () => {
    const r = new Redactor();
    expect(r.redact('params database=postgres://postgres:hunter2pw@127.0.0.1:5432/qa_bk tables=')).toBe('params database=postgres://postgres:***@127.0.0.1:5432/qa_bk tables=');
    expect(r.redact('amqp://:s3cr%40t@mq/vhost and https://ana:p@ss@example.com/x')).toBe('amqp://:***@mq/vhost and https://ana:***@example.com/x');
    expect(r.redact('postgres://app@db:5432/app http://localhost:8080/x user@host:22')).toBe('postgres://app@db:5432/app http://localhost:8080/x user@host:22');
    expect(r.redactValue({ database: 'postgresql://u:pw12345@h/db' })).toEqual({ database: 'postgresql://u:***@h/db' });
  });

  it('copies an object shared by two fields at both places (a sql row is rows[0]), with or without secrets', () => {
    const row = { used_pct: 5 };
    expect(new Redactor().redactValue({ rows: [row], row })).toEqual({ rows: [{ used_pct: 5 }], row: { used_pct: 5 } });
    const r = new Redactor();
    r.add('abcd1234');
    expect(r.redactValue({ rows: [row], row })).toEqual({ rows: [{ used_pct: 5 }], row: { used_pct: 5 } });
  });

  it('registers those passwords, decoded too, so they are hidden on their own', () => {
    const r = new Redactor();
    expect(urlPasswordsIn('postgres://u:s3cr%40t99@h/db')).toEqual(['s3cr%40t99', 's3cr@t99']);
    expect(r.addUrlPasswords('postgres://u:s3cr%40t99@h/db')).toBe(2);
    expect(r.redact('PGPASSWORD=s3cr@t99 psql')).toBe('PGPASSWORD=*** psql');
  });
});
