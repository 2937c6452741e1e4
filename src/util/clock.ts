/** Time, passed in so tests can drive it (incident SLAs, retries) without waiting. */
export interface Clock {
  now(): number;
  /** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

/** `OPSCTL_NOW` (ISO time or epoch ms) fixes "now" for the whole process; used by tests of SLAs. */
export function clockFromEnv(env: NodeJS.ProcessEnv = process.env): Clock {
  const fixed = env.OPSCTL_NOW;
  if (!fixed) return systemClock;
  const start = /^\d+$/.test(fixed) ? Number(fixed) : Date.parse(fixed);
  if (Number.isNaN(start)) return systemClock;
  const offset = start - Date.now();
  return { now: () => Date.now() + offset, sleep: systemClock.sleep };
}
