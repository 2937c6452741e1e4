import * as cel from '@marcbachmann/cel-js';

/**
 * The CEL library, through a function: the build replaces this module with one that loads the
 * library at the first call (scripts/build.mjs, `lazyCelLibrary`). Setting up its functions and
 * operators costs a start-up ~4 ms, which `list`, `runs`, `lock`, and a run of a runbook without
 * expressions do not need. Tests and `tsc` see this file: the same library, loaded eagerly.
 */
export function celLibrary(): typeof cel {
  return cel;
}
