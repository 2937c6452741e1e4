import { describe, expect, it } from 'vitest';
import { describeConnectError, describeQueryError, pointAt } from '../../../../src/adapters/sql/errors';
import { resolveTarget, type Target } from '../../../../src/adapters/sql/target';

function target(url: string, name?: string): Target {
  const resolved = resolveTarget(name ?? url, name ? { [name]: { name, url } } : {}, {});
  if (!resolved.ok) throw new Error(resolved.message);
  return resolved.target;
}

const db = target('postgres://app:pw@db.internal:6432/orders', 'orders');

describe('sql error messages', () => {
  it('says a wrong password is a wrong password, never showing it', () => {
    const failure = describeConnectError(Object.assign(new Error('password authentication failed for user "app"'), { code: '28P01' }), db);
    expect(failure).toEqual({
      reason: 'connection-error',
      errorKind: 'invalid_password',
      message:
        'authentication failed for user `app` on db.internal:6432: password authentication failed for user "app". Check the password in the URL of database `orders` in opsctl.yaml (or PGPASSWORD).',
    });
  });

  it('names an unknown host', () => {
    const failure = describeConnectError(Object.assign(new Error('getaddrinfo ENOTFOUND db.internal'), { code: 'ENOTFOUND' }), db);
    expect(failure.message).toBe('could not connect to PostgreSQL: host `db.internal` was not found (DNS). Check the host in the URL of database `orders` in opsctl.yaml.');
  });

  it('reads a refused connection out of an AggregateError (localhost resolves to two addresses)', () => {
    const refused = (address: string) => Object.assign(new Error(`connect ECONNREFUSED ${address}:6432`), { code: 'ECONNREFUSED' });
    const failure = describeConnectError(new AggregateError([refused('::1'), refused('127.0.0.1')]), db);
    expect(failure.errorKind).toBe('ECONNREFUSED');
    expect(failure.message).toMatch(/^could not connect to PostgreSQL at db\.internal:6432: connection refused\./);
  });

  it('labels a target without its password', () => {
    expect(db.label).toBe('orders (app@db.internal:6432/orders)');
    expect(target('postgres://u:secret@h/d').label).toBe('u@h:5432/d');
  });

  it('puts a caret under the error position, also on later lines and after tabs', () => {
    expect(pointAt('SELECT 1\nFROM\tnowhere', 15)).toEqual(['at line 2, column 6:', '  2 | FROM\tnowhere', '    |     \t^']);
    expect(pointAt('SELECT x', 0)).toEqual([]);
  });

  it('shows the query inside a function when the error happened there', () => {
    const error = Object.assign(new Error('relation "gone" does not exist'), {
      code: '42P01',
      internalQuery: 'SELECT * FROM gone',
      internalPosition: '15',
      where: 'PL/pgSQL function f() line 3 at PERFORM',
    });
    const failure = describeQueryError(error, 'SELECT f()', { readOnly: false, target: db });
    expect(failure.message).toBe(
      [
        'PostgreSQL error 42P01 (undefined_table): relation "gone" does not exist',
        'in the query run inside it:',
        'at line 1, column 15:',
        '  1 | SELECT * FROM gone',
        '    |               ^',
        'where: PL/pgSQL function f() line 3 at PERFORM',
      ].join('\n'),
    );
  });
});
