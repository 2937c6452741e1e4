import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunEvent, RunEventBody } from '../../../src/engine/events';
import { FileStore } from '../../../src/state/file-store';
import { JournalSink } from '../../../src/state/journal';
import { Redactor } from '../../../src/state/redactor';
import { runRecord } from './store-contract';

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

async function setup(options: { headChars?: number; tailChars?: number; maxLines?: number; updateRecord?: boolean } = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'opsctl-journal-'));
  dirs.push(dir);
  const store = new FileStore({ dir: join(dir, '.opsctl') });
  const runId = '20261122T143000-jrnl';
  await store.createRun(runRecord(runId));
  const appends: number[] = [];
  const original = store.appendEvents.bind(store);
  store.appendEvents = async (id, events) => {
    appends.push(events.length);
    return original(id, events);
  };
  const originalSync = store.appendEventsSync.bind(store);
  store.appendEventsSync = (id, events) => {
    appends.push(events.length);
    originalSync(id, events);
  };
  const redactor = new Redactor();
  const journal = new JournalSink({ store, runId, redactor, ...options });
  let seq = 0;
  const emit = (body: RunEventBody) => journal.emit({ ...body, runId, seq: ++seq, ts: new Date(Date.UTC(2026, 10, 22, 14, 30, 0, seq)).toISOString() } as RunEvent);
  return { store, runId, redactor, journal, emit, appends };
}

describe('JournalSink', () => {
  it('makes a transition durable together with the output buffered before it', async () => {
    const { store, runId, journal, emit, appends } = await setup();
    emit({ type: 'step.started', step: 'a', attempt: 1, effect: 'write' });
    await journal.flush();
    for (let i = 0; i < 500; i++) emit({ type: 'step.output', step: 'a', stream: 'stdout', text: `line ${i}` });
    emit({ type: 'step.succeeded', step: 'a', durationMs: 5, outputs: { n: 1 } });
    await journal.flush();
    // One write for the start, one for 500 lines of output plus the end: not one per line.
    expect(appends).toEqual([1, 501]);
    const events = await store.readEvents(runId);
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 502 }, (_, i) => i + 1));
    await journal.close();
  });

  it('has a transition on disk when emit returns (a kill -9 right after cannot lose it)', async () => {
    const { store, runId, emit } = await setup();
    emit({ type: 'step.started', step: 'a', attempt: 1, effect: 'write' });
    emit({ type: 'step.output', step: 'a', stream: 'stdout', text: 'before the end' });
    emit({ type: 'step.succeeded', step: 'a', durationMs: 5, outputs: { n: 1 } });
    // No flush awaited: the file backend wrote and fsynced inside emit.
    expect((await store.readEvents(runId)).map((e) => e.type)).toEqual(['step.started', 'step.output', 'step.succeeded']);
  });

  it('batches read-only steps into the next durable point, in order (a write step starts: all of it is on disk)', async () => {
    const { store, runId, emit, appends } = await setup();
    emit({ type: 'run.started', runbook: 'x', title: 'x', dryRun: false, params: {} });
    for (let i = 0; i < 100; i++) {
      emit({ type: 'step.started', step: `r${i}`, attempt: 1, effect: 'read' });
      emit({ type: 'log', step: `r${i}`, level: 'info', message: `line ${i}` });
      emit({ type: 'step.succeeded', step: `r${i}`, durationMs: 0, outputs: {} });
    }
    expect(appends).toEqual([1]);
    emit({ type: 'step.started', step: 'w', attempt: 1, effect: 'write' });
    // No flush awaited: the write step's start, and the 300 events before it, were fsynced inside emit.
    expect(appends).toEqual([1, 301]);
    expect((await store.readEvents(runId)).map((e) => e.seq)).toEqual(Array.from({ length: 302 }, (_, i) => i + 1));
    emit({ type: 'step.succeeded', step: 'w', durationMs: 1, outputs: {} });
    // The end of a write step is durable at the end of this turn of the event loop.
    expect(appends).toEqual([1, 301]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(appends).toEqual([1, 301, 1]);
  });

  it('carries the end of a write step with the durable start of the next: one fsync per step in a sequence', async () => {
    const { store, runId, emit, appends } = await setup();
    emit({ type: 'run.started', runbook: 'x', title: 'x', dryRun: false, params: {} });
    for (let i = 0; i < 5; i++) {
      emit({ type: 'step.started', step: `w${i}`, attempt: 1, effect: 'write' });
      emit({ type: 'step.output', step: `w${i}`, stream: 'stdout', text: `out ${i}` });
      emit({ type: 'step.succeeded', step: `w${i}`, durationMs: 1, outputs: {} });
    }
    // run.started, then each start with the previous step's output and end (the first has none).
    expect(appends).toEqual([1, 1, 3, 3, 3, 3]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(appends).toEqual([1, 1, 3, 3, 3, 3, 2]);
    expect((await store.readEvents(runId)).map((e) => e.type).slice(-3)).toEqual(['step.started', 'step.output', 'step.succeeded']);
  });

  it('makes a step end durable (within the turn) when its start was not seen, and read-only tails on close', async () => {
    const { store, runId, journal, emit, appends } = await setup();
    emit({ type: 'step.failed', step: 'early', durationMs: 0, reason: 'invalid-input', message: 'bad input' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(appends).toEqual([1]);
    emit({ type: 'step.started', step: 'r', attempt: 1, effect: 'read' });
    emit({ type: 'step.succeeded', step: 'r', durationMs: 0, outputs: {} });
    expect(appends).toEqual([1]);
    await journal.close();
    expect((await store.readEvents(runId)).map((e) => e.type)).toEqual(['step.failed', 'step.started', 'step.succeeded']);
  });

  it('writes through the async StateStore API when the backend has no synchronous append', async () => {
    const { store, runId, redactor } = await setup();
    const asyncOnly = { ...store, appendEvents: store.appendEvents.bind(store) } as unknown as typeof store;
    delete (asyncOnly as { appendEventsSync?: unknown }).appendEventsSync;
    const journal = new JournalSink({ store: asyncOnly, runId, redactor });
    journal.emit({ type: 'step.started', step: 'a', attempt: 1, effect: 'write', runId, seq: 1, ts: 't' });
    await journal.close();
    expect((await store.readEvents(runId)).map((e) => e.seq)).toEqual([1]);
  });

  it('writes buffered output on close', async () => {
    const { store, runId, journal, emit } = await setup();
    emit({ type: 'step.started', step: 'a', attempt: 1, effect: 'write' });
    emit({ type: 'step.output', step: 'a', stream: 'stderr', text: 'partial' });
    await journal.close();
    expect((await store.readEvents(runId)).map((e) => e.type)).toEqual(['step.started', 'step.output']);
  });

  it('redacts every event before it reaches the store', async () => {
    const { store, runId, redactor, journal, emit } = await setup();
    redactor.add('canary-secret-value');
    emit({ type: 'run.started', runbook: 'x', title: 'x', dryRun: false, params: { pw: 'canary-secret-value' } });
    emit({ type: 'step.output', step: 'a', stream: 'stdout', text: `token=${Buffer.from('canary-secret-value').toString('base64')}` });
    emit({ type: 'step.failed', step: 'a', durationMs: 1, reason: 'exit-non-zero', message: 'bad canary-secret-value' });
    await journal.close();
    const text = JSON.stringify(await store.readEvents(runId));
    expect(text).not.toContain('canary-secret-value');
    expect(text).not.toContain(Buffer.from('canary-secret-value').toString('base64'));
    expect(text).toContain('token=***');
  });

  it('keeps the first and last part of a huge output, with a note of what was left out', async () => {
    const { store, runId, journal, emit } = await setup({ headChars: 1000, tailChars: 1000 });
    emit({ type: 'step.started', step: 'big', attempt: 1, effect: 'write' });
    const line = (i: number) => `${String(i).padStart(6, '0')} ${'x'.repeat(93)}`; // 100 chars
    for (let i = 0; i < 100_000; i++) emit({ type: 'step.output', step: 'big', stream: 'stdout', text: line(i) });
    emit({ type: 'step.succeeded', step: 'big', durationMs: 1, outputs: {} });
    await journal.close();
    const events = await store.readEvents(runId);
    const texts = events.flatMap((e) => (e.type === 'step.output' ? [e.text] : []));
    expect(texts).toEqual([...Array.from({ length: 10 }, (_, i) => line(i)), ...Array.from({ length: 10 }, (_, i) => line(99_990 + i))]);
    const note = events.find((e) => e.type === 'log');
    expect(note).toMatchObject({ step: 'big', level: 'warn', message: expect.stringContaining('99980 lines') });
    expect(events.at(-1)?.type).toBe('step.succeeded');
  });

  it('caps the number of lines too, so short lines cannot swell the journal', async () => {
    const { store, runId, journal, emit } = await setup({ maxLines: 3 });
    for (let i = 0; i < 100; i++) emit({ type: 'step.output', step: 'a', stream: 'stdout', text: String(i) });
    await journal.close();
    const texts = (await store.readEvents(runId)).flatMap((e) => (e.type === 'step.output' ? [e.text] : []));
    expect(texts).toEqual(['0', '1', '2', '97', '98', '99']);
  });

  it('caps each step on its own', async () => {
    const { store, runId, journal, emit } = await setup({ headChars: 10, tailChars: 10 });
    for (const step of ['a', 'b']) {
      for (let i = 0; i < 5; i++) emit({ type: 'step.output', step, stream: 'stdout', text: `${step}${i}-xx` });
    }
    await journal.close();
    const texts = (await store.readEvents(runId)).flatMap((e) => (e.type === 'step.output' ? [e.text] : []));
    expect(texts.sort()).toEqual(['a0-xx', 'a1-xx', 'a3-xx', 'a4-xx', 'b0-xx', 'b1-xx', 'b3-xx', 'b4-xx']);
  });

  it('keeps the run record in step: approvals by whom, final status and end time', async () => {
    const { store, runId, journal, emit } = await setup({ updateRecord: true });
    emit({ type: 'step.confirmed', step: 'migrate', by: 'ana@example.com', via: 'prompt' });
    emit({ type: 'step.confirmed', step: 'dns', by: 'ci', via: 'approve' });
    emit({ type: 'run.finished', status: 'failed', durationMs: 10, failedStep: 'dns' });
    await journal.close();
    const run = await store.getRun(runId);
    expect(run?.status).toBe('failed');
    expect(run?.endedAt).toBe('2026-11-22T14:30:00.003Z');
    expect(run?.approvals).toEqual([
      { step: 'migrate', by: 'ana@example.com', via: 'prompt', at: '2026-11-22T14:30:00.001Z' },
      { step: 'dns', by: 'ci', via: 'approve', at: '2026-11-22T14:30:00.002Z' },
    ]);
  });

  it('reports a failed write once and keeps accepting events', async () => {
    const { store, journal, emit } = await setup();
    const errors: unknown[] = [];
    const broken = new JournalSink({ store, runId: 'no/such run', redactor: new Redactor(), onError: (e) => errors.push(e) });
    broken.emit({ type: 'run.finished', status: 'failed', durationMs: 1, runId: 'no/such run', seq: 1, ts: 'x' });
    broken.emit({ type: 'run.finished', status: 'failed', durationMs: 1, runId: 'no/such run', seq: 2, ts: 'x' });
    await broken.close();
    expect(errors).toHaveLength(1);
    expect(broken.failure).toBeInstanceOf(Error);
    emit({ type: 'log', level: 'info', message: 'still fine' });
    await journal.close();
  });
});
