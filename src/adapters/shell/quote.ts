const SAFE = /^[A-Za-z0-9_\/.,:=@%+-]+$/;

/** A command line as a person would type it in bash, for plans and messages (never executed). */
export function quoteArgv(argv: readonly string[]): string {
  return argv.map(quoteArg).join(' ');
}

export function quoteArg(arg: string): string {
  if (arg !== '' && SAFE.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}
