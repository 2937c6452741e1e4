import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ActionContext, ActionImpl, ActionOutcome } from '../../../src/adapters/types';
import type { Config } from '../../../src/config/model';
import type { Answer, Prompter } from '../../../src/ui/prompter';
import { systemClock, type Clock } from '../../../src/util/clock';
import { defaultRegistry } from '../../../src/adapters/registry';

export const testConfig: Config = {
  root: '/nonexistent',
  runbookPaths: [],
  state: { backend: 'file' },
  environments: {},
  databases: {},
  incidents: {
    severities: {
      P1: { respondMs: 900_000, resolveMs: 3_600_000 },
      P2: { respondMs: 3_600_000, resolveMs: 14_400_000 },
      P3: { respondMs: 14_400_000, resolveMs: 86_400_000 },
      P4: { respondMs: 86_400_000, resolveMs: 604_800_000 },
    },
    escalation: [],
  },
  notify: {},
};

export interface Recorded {
  readonly lines: { stream: 'stdout' | 'stderr'; text: string }[];
  readonly progress: string[];
  readonly secrets: string[];
  readonly calls: { name: string; params: Readonly<Record<string, unknown>> }[];
}

export type FakeContext = ActionContext & { readonly recorded: Recorded };

/** An ActionContext whose effects are recorded; the real clock and processes unless overridden. */
export function fakeContext(over: Partial<ActionContext> = {}): FakeContext {
  const recorded: Recorded = { lines: [], progress: [], secrets: [], calls: [] };
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
  const base: ActionContext = {
    stepId: 'step',
    config: testConfig,
    noChecks: false,
    signal: new AbortController().signal,
    cwd: process.cwd(),
    env,
    scriptDisplay: {},
    redact: (text) => recorded.secrets.reduce((out, secret) => out.split(secret).join('***'), text),
    runId: 'run-1',
    attempt: 1,
    prompter: scriptedPrompter([], false),
    clock: systemClock,
    output: (stream, text) => recorded.lines.push({ stream, text }),
    progress: (message) => recorded.progress.push(message),
    registerSecret: (value) => recorded.secrets.push(value),
    runRunbook: async (name, params) => {
      recorded.calls.push({ name, params });
      return { type: 'success', outputs: {} };
    },
  };
  return Object.assign({ ...base, ...over }, { recorded });
}

/** A Prompter that gives the scripted answers in order and fails the test on an extra question. */
export function scriptedPrompter(answers: Answer<unknown>[], interactive = true): Prompter & { readonly asked: string[] } {
  const queue = [...answers];
  const asked: string[] = [];
  const next = <T>(message: string): Promise<Answer<T>> => {
    asked.push(message);
    if (!interactive) return Promise.resolve({ type: 'no-terminal' });
    const answer = queue.shift();
    if (!answer) throw new Error(`unexpected prompt: ${message}`);
    return Promise.resolve(answer as Answer<T>);
  };
  return {
    interactive,
    asked,
    confirm: (message) => next<boolean>(message),
    input: async (message, options) => {
      const answer = await next<string>(message);
      if (answer.type === 'answered' && options?.validate) {
        const verdict = options.validate(answer.value);
        if (verdict !== true) throw new Error(`scripted answer ${JSON.stringify(answer.value)} rejected: ${verdict}`);
      }
      return answer;
    },
    select: (message) => next(message),
  };
}

/** A clock whose sleeps return at once (still honouring the signal) and that records them. */
export function instantClock(): Clock & { readonly slept: number[] } {
  let now = 1_700_000_000_000;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (ms, signal) => {
      if (signal?.aborted) throw signal.reason;
      slept.push(ms);
      now += ms;
    },
  };
}

export function timeoutError(ms = 100): Error {
  const error = new Error(`timed out after ${ms} ms`);
  error.name = 'TimeoutError';
  return error;
}

export async function load(key: string): Promise<ActionImpl> {
  const definition = defaultRegistry.get(key);
  if (!definition) throw new Error(`no adapter ${key}`);
  return definition.load();
}

export async function runAction(key: string, input: Record<string, unknown>, ctx: ActionContext = fakeContext()): Promise<ActionOutcome> {
  return (await load(key)).run(input, ctx);
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'opsctl-adapters-'));
}

export interface ReceivedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

export interface TestServer {
  readonly url: string;
  readonly requests: ReceivedRequest[];
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 whose answers the test scripts, one call of `reply` per request. */
export interface ScriptedAnswer {
  readonly status: number;
  readonly body?: string;
  readonly headers?: Record<string, string>;
  /** Answer only after this long (to exercise request timeouts). */
  readonly delayMs?: number;
}

export async function startServer(reply: (request: ReceivedRequest, index: number) => ScriptedAnswer): Promise<TestServer> {
  const requests: ReceivedRequest[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const received = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(received);
      const answer = reply(received, requests.length - 1);
      const send = () => {
        if (res.destroyed) return;
        res.writeHead(answer.status, answer.headers ?? { 'content-type': 'text/plain' });
        res.end(answer.body ?? '');
      };
      if (answer.delayMs) setTimeout(send, answer.delayMs).unref();
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** True while a process with this pid exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function waitFor(check: () => boolean, ms = 5000): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return check();
}
