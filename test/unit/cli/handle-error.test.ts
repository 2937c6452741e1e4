import { open } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { handleError } from '../../../src/cli/handle-error';

function capture() {
  let text = '';
  return { stream: { write: (chunk: string) => ((text += chunk), true) } as unknown as NodeJS.WritableStream, text: () => text };
}

describe('handleError', () => {
  it('F24: a file system error (a missing folder) is exit 2 naming the path, not "a bug in opsctl"', async () => {
    const error = await open('/nonexistent-opsctl-dir/r.json', 'w').catch((e: unknown) => e);
    const out = capture();
    expect(handleError(error, out.stream)).toBe(2);
    expect(out.text()).toContain("ENOENT: no such file or directory, open '/nonexistent-opsctl-dir/r.json'");
    expect(out.text()).not.toMatch(/internal error|bug in opsctl/);
  });

  it('anything else is still reported as an internal error', () => {
    const out = capture();
    expect(handleError(new TypeError('x is not a function'), out.stream)).toBe(1);
    expect(out.text()).toMatch(/internal error: x is not a function/);
  });
});
