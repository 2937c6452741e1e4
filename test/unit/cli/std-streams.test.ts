import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { madeStreams, whenMade } from '../../../src/cli/std-streams';

/** An object with Node's kind of lazy stdout/stderr getters, counting how often each is made. */
function lazyOwner() {
  const made = { stdout: 0, stderr: 0 };
  const owner = {} as Record<'stdout' | 'stderr', NodeJS.WriteStream>;
  for (const name of ['stdout', 'stderr'] as const) {
    let stream: NodeJS.WriteStream | undefined;
    Object.defineProperty(owner, name, {
      configurable: true,
      enumerable: true,
      get() {
        if (!stream) {
          made[name] += 1;
          stream = new Writable({ write: (_chunk, _encoding, done) => done() }) as unknown as NodeJS.WriteStream;
        }
        return stream;
      },
    });
  }
  return { owner, made };
}

describe('whenMade', () => {
  it('does not make the stream, and sets it up at its first use', () => {
    const { owner, made } = lazyOwner();
    const seen: NodeJS.WriteStream[] = [];
    whenMade('stderr', (s) => seen.push(s), owner);
    whenMade('stderr', (s) => seen.push(s), owner);
    expect(made.stderr).toBe(0);
    expect(madeStreams(owner)).toEqual([]);
    const stream = owner.stderr;
    expect(made.stderr).toBe(1);
    expect(seen).toEqual([stream, stream]);
    expect(owner.stderr).toBe(stream);
    expect(seen).toHaveLength(2);
    expect(madeStreams(owner)).toEqual([stream]);
  });

  it('sets up at once a stream that is already made, and keeps the two streams apart', () => {
    const { owner, made } = lazyOwner();
    whenMade('stdout', () => undefined, owner);
    const stdout = owner.stdout;
    const late: NodeJS.WriteStream[] = [];
    whenMade('stdout', (s) => late.push(s), owner);
    expect(late).toEqual([stdout]);
    whenMade('stderr', () => undefined, owner);
    expect(made).toEqual({ stdout: 1, stderr: 0 });
    expect(madeStreams(owner)).toEqual([stdout]);
  });

  it('sets up at once a stream that is a plain value (no getter to wrap)', () => {
    const stream = new Writable({ write: (_c, _e, done) => done() }) as unknown as NodeJS.WriteStream;
    const owner = { stdout: stream, stderr: stream };
    const seen: NodeJS.WriteStream[] = [];
    whenMade('stdout', (s) => seen.push(s), owner);
    expect(seen).toEqual([stream]);
    expect(madeStreams(owner)).toEqual([stream]);
  });
});
