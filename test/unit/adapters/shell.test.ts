import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CAPTURE_BYTES } from '../../../src/adapters/shell/run';
import { liveProcessGroups } from '../../../src/adapters/shell/process';
import { alive, fakeContext, load, runAction, tempDir, timeoutError, waitFor } from './helpers';

const stdoutOf = (ctx: ReturnType<typeof fakeContext>) => ctx.recorded.lines.filter((l) => l.stream === 'stdout').map((l) => l.text);

afterEach(() => {
  delete process.env.OPSCTL_KILL_GRACE_MS;
});

describe('shell: scripts', () => {
  it('runs a script with bash and reports stdout, live lines and exit code 0', async () => {
    const ctx = fakeContext();
    const outcome = await runAction('shell', { run: 'echo hello; echo world >&2; echo done' }, ctx);
    expect(outcome).toMatchObject({ type: 'success', exitCode: 0, text: 'hello\ndone\n', outputs: { exit_code: 0 } });
    // The two pipes are read independently: order holds within a stream.
    expect(stdoutOf(ctx)).toEqual(['hello', 'done']);
    expect(ctx.recorded.lines.filter((l) => l.stream === 'stderr').map((l) => l.text)).toEqual(['world']);
  });

  it('fails with the exit code and the last lines of stderr', async () => {
    const outcome = await runAction('shell', { run: 'echo "migration 42 failed" >&2; exit 3' });
    expect(outcome).toMatchObject({ type: 'failure', reason: 'exit-non-zero', exitCode: 3, outputs: { exit_code: 3 } });
    if (outcome.type !== 'failure') throw new Error('expected failure');
    expect(outcome.message).toContain('exited with code 3');
    expect(outcome.message).toContain('migration 42 failed');
  });

  it('uses -e and -o pipefail', async () => {
    const ctx = fakeContext();
    const errexit = await runAction('shell', { run: 'false\necho after' }, ctx);
    expect(errexit).toMatchObject({ type: 'failure', exitCode: 1 });
    expect(stdoutOf(ctx)).toEqual([]);
    const pipe = await runAction('shell', { run: 'false | cat' });
    expect(pipe).toMatchObject({ type: 'failure', exitCode: 1 });
  });

  it('reports a process killed by a signal as 128 + its number', async () => {
    const outcome = await runAction('shell', { run: 'kill -9 $$' });
    expect(outcome).toMatchObject({ type: 'failure', reason: 'exit-non-zero', exitCode: 137 });
    if (outcome.type === 'failure') expect(outcome.message).toContain('SIGKILL');
  });

  it('passes the engine env and the input env; input env wins', async () => {
    const ctx = fakeContext({ env: { ...fakeContext().env, FROM_ENGINE: 'engine', BOTH: 'engine' } });
    const outcome = await runAction('shell', { run: 'echo "$FROM_ENGINE $BOTH $PORT"', env: { BOTH: 'input', PORT: 8080 } }, ctx);
    expect(outcome).toMatchObject({ type: 'success', text: 'engine input 8080\n' });
  });

  it('never runs a value as code: $(...) and backticks in OPSCTL_V* stay text', async () => {
    const dir = tempDir();
    const value = '$(touch pwned) `touch pwned2`; touch pwned3';
    const ctx = fakeContext({ cwd: dir, env: { ...fakeContext().env, OPSCTL_V1: value } });
    const outcome = await runAction('shell', { run: 'echo "version=${OPSCTL_V1}"' }, ctx);
    expect(outcome).toMatchObject({ type: 'success', text: `version=${value}\n` });
    for (const name of ['pwned', 'pwned2', 'pwned3']) expect(existsSync(join(dir, name))).toBe(false);
  });

  it('writes stdin to the program, and gives EOF when there is none (no hang)', async () => {
    expect(await runAction('shell', { run: 'tr a-z A-Z', stdin: 'abc\n' })).toMatchObject({ type: 'success', text: 'ABC\n' });
    expect(await runAction('shell', { run: 'cat; echo end' })).toMatchObject({ type: 'success', text: 'end\n' });
  });

  it('runs in cwd relative to the step cwd, and names a missing folder', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'marker'), 'x');
    const ctx = fakeContext({ cwd: '/' });
    expect(await runAction('shell', { run: 'ls', cwd: dir.slice(1) }, ctx)).toMatchObject({ type: 'success', text: 'marker\n' });
    const missing = await runAction('shell', { run: 'ls', cwd: join(dir, 'nope') });
    expect(missing).toMatchObject({ type: 'failure', reason: 'invalid-input' });
    if (missing.type === 'failure') expect(missing.message).toContain('does not exist');
  });

  it('uses another shell when asked, without pipefail for sh', async () => {
    expect(await runAction('shell', { run: 'echo $0', shell: 'sh' })).toMatchObject({ type: 'success', text: 'sh\n' });
  });
});

describe('shell: argv', () => {
  it('runs a program without a shell: arguments are never interpreted', async () => {
    const dir = tempDir();
    const ctx = fakeContext({ cwd: dir });
    const outcome = await runAction('shell', { argv: ['printf', '%s|', 'a b', '$(touch pwned)', '`touch x`'] }, ctx);
    expect(outcome).toMatchObject({ type: 'success', text: 'a b|$(touch pwned)|`touch x`|' });
    expect(existsSync(join(dir, 'pwned'))).toBe(false);
  });

  it('names a program that does not exist', async () => {
    const outcome = await runAction('shell', { argv: ['opsctl-no-such-program-xyz', '--help'] });
    expect(outcome).toMatchObject({ type: 'failure', reason: 'exit-non-zero', errorKind: 'ENOENT', exitCode: 127 });
    if (outcome.type === 'failure') expect(outcome.message).toContain('`opsctl-no-such-program-xyz` was not found');
  });

  it('F34: a process the system refuses to start (E2BIG) is a clear failure without an invented exit code', async () => {
    const outcome = await runAction('shell', { argv: ['true', 'x'.repeat(200_000)] });
    expect(outcome).toMatchObject({ type: 'failure', errorKind: 'E2BIG' });
    if (outcome.type === 'failure') {
      expect(outcome.exitCode).toBeUndefined();
      expect(outcome.message).toContain('at most 128 KiB');
    }
  });

  it('rejects run and argv together, and neither', async () => {
    expect(await runAction('shell', { run: 'true', argv: ['true'] })).toMatchObject({ type: 'failure', reason: 'invalid-input' });
    expect(await runAction('shell', {})).toMatchObject({ type: 'failure', reason: 'invalid-input' });
  });
});

describe('shell: timeout, cancellation and the process group', () => {
  it('kills the whole process tree on timeout: a grandchild sleep is gone afterwards', async () => {
    const dir = tempDir();
    const pidFile = join(dir, 'pid');
    const controller = new AbortController();
    const ctx = fakeContext({ signal: controller.signal, timeoutMs: 100, cwd: dir });
    // A nested shell starts a grandchild in the background and waits for it.
    const running = runAction('shell', { run: `bash -c 'sleep 300 & echo $! > ${pidFile}; wait'` }, ctx);
    expect(await waitFor(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() !== '')).toBe(true);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    expect(alive(pid)).toBe(true);
    controller.abort(timeoutError(100));
    const outcome = await running;
    expect(outcome).toMatchObject({ type: 'failure', reason: 'timeout' });
    if (outcome.type === 'failure') expect(outcome.message).toContain('timed out after 100ms');
    expect(await waitFor(() => !alive(pid))).toBe(true);
  });

  it('sends SIGKILL after the grace period to a group that ignores SIGTERM', async () => {
    process.env.OPSCTL_KILL_GRACE_MS = '200';
    const dir = tempDir();
    const pidFile = join(dir, 'pid');
    const controller = new AbortController();
    const ctx = fakeContext({ signal: controller.signal, cwd: dir });
    const running = runAction('shell', { run: `trap '' TERM; sleep 300 & echo $! > ${pidFile}; wait` }, ctx);
    expect(await waitFor(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() !== '')).toBe(true);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    controller.abort(new Error('Ctrl-C'));
    const outcome = await running;
    expect(outcome).toMatchObject({ type: 'failure', reason: 'cancelled' });
    expect(await waitFor(() => !alive(pid))).toBe(true);
  });

  it('does not start when the signal is already aborted', async () => {
    const dir = tempDir();
    const controller = new AbortController();
    controller.abort(timeoutError());
    const outcome = await runAction('shell', { run: 'touch started' }, fakeContext({ signal: controller.signal, cwd: dir }));
    expect(outcome).toMatchObject({ type: 'failure', reason: 'timeout' });
    expect(existsSync(join(dir, 'started'))).toBe(false);
  });

  it('ends when the script ends even if a background job holds stdout, and the job does not outlive the step', async () => {
    const dir = tempDir();
    const pidFile = join(dir, 'pid');
    const outcome = await runAction('shell', { run: `sleep 300 & echo $! > ${pidFile}; echo started` }, fakeContext({ cwd: dir }));
    expect(outcome).toMatchObject({ type: 'success', text: 'started\n' });
    const pid = Number(readFileSync(pidFile, 'utf8'));
    expect(await waitFor(() => !alive(pid))).toBe(true);
    expect(await waitFor(() => !liveProcessGroups().length, 8000)).toBe(true);
  });
});

describe('shell: a process that left the group', () => {
  it('does not keep the step waiting on the pipes it holds', async () => {
    process.env.OPSCTL_KILL_GRACE_MS = '200';
    const dir = tempDir();
    const pidFile = join(dir, 'pid');
    const outcome = await runAction('shell', { run: `setsid sleep 300 & echo $! > ${pidFile}; echo left` }, fakeContext({ cwd: dir }));
    expect(outcome).toMatchObject({ type: 'success', text: 'left\n' });
    const pid = Number(readFileSync(pidFile, 'utf8'));
    if (alive(pid)) process.kill(pid, 'SIGKILL');
  });
});

describe('shell: bounded memory', () => {
  it('keeps at most CAPTURE_BYTES of stdout and passes a newline-free stream on in bounded pieces', async () => {
    let lines = 0;
    let longest = 0;
    let total = 0;
    const ctx = fakeContext({
      output: (stream, text) => {
        if (stream !== 'stdout') return;
        lines++;
        total += text.length;
        longest = Math.max(longest, text.length);
      },
    });
    const bytes = 8 * CAPTURE_BYTES;
    const outcome = await runAction('shell', { run: `head -c ${bytes} /dev/zero | tr '\\0' a; echo oops >&2; exit 4` }, ctx);
    expect(outcome).toMatchObject({ type: 'failure', exitCode: 4, outputs: { stdout_truncated: true } });
    expect(total).toBe(bytes);
    expect(longest).toBeLessThanOrEqual(64 * 1024);
    expect(lines).toBeGreaterThan(1);
    const ok = await runAction('shell', { run: `head -c ${bytes} /dev/zero | tr '\\0' b` }, fakeContext({ output: () => undefined }));
    if (ok.type !== 'success') throw new Error('expected success');
    expect(ok.text?.length).toBe(CAPTURE_BYTES);
    expect(ok.outputs).toMatchObject({ stdout_truncated: true });
  });
});

describe('shell: plan', () => {
  it('shows the script with values filled in, from the engine', async () => {
    const impl = await load('shell');
    const plan = await impl.plan(
      { run: 'echo "deploy ${OPSCTL_V1}"' },
      fakeContext({ scriptDisplay: { run: 'echo "deploy $(touch pwned)"' } }),
    );
    expect(plan.summary).toBe(`bash -eo pipefail -c 'echo "deploy $(touch pwned)"'`);
  });

  it('lists a multi-line script line by line, and argv quoted as a person would type it', async () => {
    const impl = await load('shell');
    const multi = await impl.plan({ run: 'set -x\nmake deploy\n', cwd: 'app', env: { A: '1' } }, fakeContext());
    expect(multi).toEqual({ summary: 'bash -eo pipefail -c <script>', details: ['set -x', 'make deploy', 'cwd: app', 'env: A=1'] });
    const argv = await impl.plan({ argv: ['kubectl', 'apply', '-f', 'my file.yaml', "it's"] }, fakeContext());
    expect(argv.summary).toBe(`kubectl apply -f 'my file.yaml' 'it'\\''s'`);
  });

  it('redacts registered secrets in the plan', async () => {
    const impl = await load('shell');
    const ctx = fakeContext({ scriptDisplay: { run: 'curl -H "token: s3cr3t"' } });
    ctx.registerSecret('s3cr3t');
    expect((await impl.plan({ run: 'curl -H "token: ${OPSCTL_V1}"' }, ctx)).summary).not.toContain('s3cr3t');
  });
});
