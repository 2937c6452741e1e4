/** A place in a source file. Lines and columns start at 1; offsets are 0-based, end exclusive. */
export interface SourceRange {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly offset: number;
  readonly endOffset: number;
}

export type Severity = 'error' | 'warning';

/**
 * One finding about a runbook or config file. `code` is stable (tests and `--output json` key on
 * it); `message` is the sentence a person reads; `hint` says what to do ("did you mean `needs`?").
 */
export interface Diagnostic {
  readonly severity: Severity;
  readonly code: string;
  readonly message: string;
  readonly range: SourceRange;
  readonly hint?: string;
}
