/** Exit codes, one meaning each (DESIGN.md §1). */
export const ExitCode = {
  Success: 0,
  StepFailed: 1,
  Usage: 2,
  NotConfirmed: 3,
  LockHeld: 4,
  ResumeRefused: 5,
  Interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
