/** Marks a branch the type checker proves impossible; reaching it at run time is a bug. */
export function unreachable(value: never): never {
  throw new Error(`unreachable: ${JSON.stringify(value)}`);
}
