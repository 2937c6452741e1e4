import { CommanderError } from 'commander';
import { ExitCode } from './exit-codes';
import { OpsctlError, DiagnosticsError, ShownError } from '../util/errors';
import { formatDiagnostics } from '../runbook/print-diagnostics';
import { redactActive } from '../state/redactor';

/**
 * The one place where errors become exit codes and messages. Bad input is an OpsctlError with
 * its code; anything else is a bug in opsctl, reported as such (with a stack only under OPSCTL_DEBUG).
 */
export function handleError(error: unknown, errStream: NodeJS.WritableStream = process.stderr): number {
  // Whatever is printed goes through the run's redactor: an error may quote a secret.
  const stderr = { write: (text: string) => errStream.write(redactActive(text)), isTTY: (errStream as { isTTY?: boolean }).isTTY };
  if (error instanceof CommanderError) {
    // `--help` and `--version` exit 0; help shown because a subcommand is missing
    // (`opsctl incident`) and every "error: …" commander printed are usage errors.
    return error.exitCode === 0 ? ExitCode.Success : ExitCode.Usage;
  }
  if (error instanceof DiagnosticsError) {
    const color = (stderr as { isTTY?: boolean }).isTTY === true && !process.env.NO_COLOR;
    if (error.diagnostics.length) stderr.write(`${formatDiagnostics(error.diagnostics, { color })}\n`);
    else stderr.write(`error: ${error.message}\n`);
    return error.exitCode;
  }
  if (error instanceof ShownError) {
    // The run's closing line said it already; what to do about it is still worth a line.
    if (error.hint) stderr.write(`hint: ${error.hint}\n`);
    return error.exitCode;
  }
  if (error instanceof OpsctlError) {
    stderr.write(`error: ${error.message}\n`);
    if (error.hint) stderr.write(`hint: ${error.hint}\n`);
    return error.exitCode;
  }
  if (isFileSystemError(error)) {
    // A missing folder, a permission, a full disk: a problem on this machine, not a bug in opsctl.
    stderr.write(`error: ${error.message}\n`);
    stderr.write(`hint: check that ${error.path ? `\`${error.path}\`` : 'the file'} exists and is writable by this user, and that the disk is not full\n`);
    return ExitCode.Usage;
  }
  const message = error instanceof Error ? error.message : String(error);
  stderr.write(`error: opsctl hit an internal error: ${message}\n`);
  stderr.write('This is a bug in opsctl, not in your runbook. Set OPSCTL_DEBUG=1 for details.\n');
  if (process.env.OPSCTL_DEBUG && error instanceof Error && error.stack) stderr.write(`${error.stack}\n`);
  return ExitCode.StepFailed;
}

const FILE_SYSTEM_CODES = new Set(['ENOENT', 'EACCES', 'EPERM', 'EISDIR', 'ENOTDIR', 'ENOSPC', 'EROFS', 'EEXIST', 'EDQUOT', 'ENAMETOOLONG', 'EMFILE']);

/** An error of a file system call (`open`, `mkdir`, `chdir` …) that names its path. */
function isFileSystemError(error: unknown): error is NodeJS.ErrnoException {
  if (!(error instanceof Error)) return false;
  const { code, syscall } = error as NodeJS.ErrnoException;
  return typeof code === 'string' && FILE_SYSTEM_CODES.has(code) && typeof syscall === 'string';
}
