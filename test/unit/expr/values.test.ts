import { describe, expect, it } from 'vitest';
import { evaluateExpression, type ExprContext } from '../../../src/expr';

describe('env context', () => {
  it('reads process.env itself, which is not a plain object', () => {
    process.env.OPSCTL_TEST_VALUE = 'from-env';
    const ctx = { env: process.env } as unknown as ExprContext;
    expect(evaluateExpression('env.OPSCTL_TEST_VALUE', ctx)).toBe('from-env');
    delete process.env.OPSCTL_TEST_VALUE;
  });
});
