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

/**
 * An error whose message the person has already read (a run's closing summary said it): the one
 * error→exit-code place keeps its exit code and hint and does not say the message again.
 */
export class ShownError extends OpsctlError {
  constructor(readonly original: OpsctlError) {
    super(original.message, original.exitCode, original.hint);
    this.name = 'ShownError';
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
