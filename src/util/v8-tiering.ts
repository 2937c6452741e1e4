import { lazyBuiltin } from './builtin';

const v8 = lazyBuiltin<typeof import('node:v8')>('node:v8');

/**
 * V8 optimises a function once it has run for a while (its interrupt budget). Checking a large
 * runbook runs hundreds of functions a few thousand times each, once: on a small machine,
 * optimising them competes with the check for the cores and is not paid back (validate of a
 * 1,000-step runbook spent ~30 ms of ~140 ms on it). While a large input is checked, the budget
 * is four times V8's default; it is put back before anything else runs (a long run's step loop
 * is code that stays hot and is worth optimising: it ran 8% slower with the raised budget).
 *
 * Only for large input, and put back after: V8 checks a code cache against its flags, so Node's
 * own modules loaded meanwhile compile from source (~7% more start-up if it were always on).
 * Someone who set the budget themselves (node --interrupt-budget=…) keeps theirs.
 */
const LARGE_INPUT_CHARS = 32 * 1024;
const DEFAULT_BUDGET = 66 * 1024; // V8's default since 10.x (Node 18 to 22)
const RAISED_BUDGET = 4 * DEFAULT_BUDGET;

let raised = false;

/** Runs `check` over an input of `chars` characters, with the raised budget when it is large. */
export function checkingInput<T>(chars: number, check: () => T): T {
  if (raised || chars < LARGE_INPUT_CHARS || !ours()) return check();
  v8().setFlagsFromString(`--interrupt-budget=${RAISED_BUDGET}`);
  raised = true;
  try {
    return check();
  } finally {
    v8().setFlagsFromString(`--interrupt-budget=${DEFAULT_BUDGET}`);
    raised = false;
  }
}

/** Whether V8's flags differ from the start's now (a code cache made now would be rejected next time). */
export function v8FlagsChanged(): boolean {
  return raised;
}

function ours(): boolean {
  if (process.env.OPSCTL_V8_TIERING === 'default') return false;
  const given = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].join(' ');
  return !given.includes('interrupt-budget');
}
