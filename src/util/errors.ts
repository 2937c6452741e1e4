import { ExitCode } from '../cli/exit-codes';

/**
 * An error meant for the person at the terminal: it says what went wrong, where, and what to do.
 * `exitCode` is the one meaning it has for scripts. Anything else thrown is a bug.
 */
export class OpsctlError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'OpsctlError';
  }
}

export const usageError = (message: string, hint?: string) => new OpsctlError(message, ExitCode.Usage, hint);

/** Lines carried by a failed load: the diagnostics were already printed or attached. */
export class DiagnosticsError extends OpsctlError {
  constructor(
    message: string,
    readonly diagnostics: readonly import('../runbook/diagnostics').Diagnostic[],
  ) {
    super(message, ExitCode.Usage);
    this.name = 'DiagnosticsError';
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
