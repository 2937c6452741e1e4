/**
 * Node makes `process.stdout` and `process.stderr` at their first use. Making one over a pipe,
 * which is what a CI runner gives, loads `net` and its stream machinery: ~1–2 ms of a start-up
 * that is ~25 ms above bare Node's. Most successful commands never write to stderr, so opsctl
 * does not touch the streams to set them up: `whenMade` runs its setup when something (opsctl,
 * commander, a Node warning) first reads the stream.
 */
export type StdName = 'stdout' | 'stderr';

type Owner = Record<StdName, NodeJS.WriteStream>;

interface Watch {
  readonly made: Map<StdName, NodeJS.WriteStream>;
  readonly pending: Map<StdName, Array<(stream: NodeJS.WriteStream) => void>>;
}

const watches = new WeakMap<object, Watch>();

/** Runs `setup` on the stream when it is made, or now if it was made already. */
export function whenMade(name: StdName, setup: (stream: NodeJS.WriteStream) => void, owner: Owner = process): void {
  let watch = watches.get(owner);
  if (!watch) watches.set(owner, (watch = { made: new Map(), pending: new Map() }));
  const stream = watch.made.get(name);
  if (stream) return setup(stream);
  const waiting = watch.pending.get(name);
  if (waiting) return void waiting.push(setup);
  watch.pending.set(name, [setup]);
  const descriptor = Object.getOwnPropertyDescriptor(owner, name);
  const make = descriptor?.get;
  if (!make || !descriptor.configurable) {
    // Not a lazy getter (a test put a stream there): set it up now.
    adopt(watch, name, owner[name]);
    return;
  }
  const known = watch;
  Object.defineProperty(owner, name, {
    configurable: true,
    enumerable: descriptor.enumerable ?? true,
    get(): NodeJS.WriteStream {
      return known.made.get(name) ?? adopt(known, name, make.call(owner) as NodeJS.WriteStream);
    },
  });
}

/** The streams made so far: only these can hold output not yet handed to the OS. */
export function madeStreams(owner: Owner = process): NodeJS.WriteStream[] {
  return [...(watches.get(owner)?.made.values() ?? [])];
}

function adopt(watch: Watch, name: StdName, stream: NodeJS.WriteStream): NodeJS.WriteStream {
  watch.made.set(name, stream);
  const setups = watch.pending.get(name) ?? [];
  watch.pending.delete(name);
  for (const setup of setups) setup(stream);
  return stream;
}
