import { describe, expect, it } from 'vitest';
import { settleParams } from '../../../src/cli/session-params';
import type { ParamSpec, StepGraph } from '../../../src/runbook/model';
import { scriptedPrompter } from '../../../src/ui/prompter-scripted';
import { OpsctlError } from '../../../src/util/errors';

const params = [
  { name: 'version', type: 'string', required: false, secret: false, default: '1.0' },
  { name: 'token', type: 'string', required: false, secret: true, default: '' },
] as unknown as ParamSpec[];
const graph = { runbook: { name: 'five', params } } as unknown as StepGraph;
const again = { fromRunId: 'r-1', names: ['token'] };

describe('F13: secret params a resumed run was given are given again, never defaulted', () => {
  it('without a terminal: exit 2 naming them and the flag to pass', async () => {
    const error = await settleParams(graph, ['version=2.0'], scriptedPrompter([], false), again).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpsctlError);
    expect((error as OpsctlError).exitCode).toBe(2);
    expect((error as OpsctlError).message).toBe('secret param `token` was given to run r-1 and is never journaled: it is not replaced by its default');
    expect((error as OpsctlError).hint).toBe('pass -p token=<string> again');
  });

  it('on a terminal: asks for them (even with a default)', async () => {
    const prompter = scriptedPrompter([{ question: /^token/, answer: 'TOKSECRET' }]);
    expect(await settleParams(graph, ['version=2.0'], prompter, again)).toEqual({ version: '2.0', token: 'TOKSECRET' });
    expect(prompter.asked).toHaveLength(1);
  });

  it('takes them from -p, and defaults the ones the original run did not get', async () => {
    expect(await settleParams(graph, ['token=T2'], scriptedPrompter([], false), again)).toEqual({ version: '1.0', token: 'T2' });
    expect(await settleParams(graph, [], scriptedPrompter([], false), { fromRunId: 'r-1', names: [] })).toEqual({ version: '1.0', token: '' });
  });
});
