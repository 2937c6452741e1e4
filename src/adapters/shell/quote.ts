const SAFE = /^[A-Za-z0-9_\/.,:=@%+-]+$/;
const CONTROL = /[\x00-\x1f\x7f]/;

/** A command line as a person would type it in bash, for plans and messages (never executed). */
export function quoteArgv(argv: readonly string[]): string {
  return argv.map(quoteArg).join(' ');
}

export function quoteArg(arg: string): string {
  if (arg !== '' && SAFE.test(arg)) return arg;
  // Control characters (a newline in an argument) in bash's $'...' form, so the plan stays one line.
  if (CONTROL.test(arg)) return `$'${arg.replace(/[\\'\x00-\x1f\x7f]/g, escapeControl)}'`;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

const NAMED: Record<string, string> = { '\n': '\\n', '\t': '\\t', '\r': '\\r', '\\': '\\\\', "'": "\\'" };

function escapeControl(char: string): string {
  return NAMED[char] ?? `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`;
}
