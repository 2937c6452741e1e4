import type { ActionContext, ActionOutcome, PlanContext } from '../types';
import { awsFailure } from './errors';
import { InputError } from './input';
import { invalidInput } from './outcome';

/** An SDK call failed; `doing` names the operation and its target for the message. */
export class AwsCallError extends Error {
  override readonly name = 'AwsCallError';
  constructor(
    readonly doing: string,
    override readonly cause: unknown,
  ) {
    super(doing);
  }
}

/** The thing a step names does not exist; the message says how to find the right name. */
export class NotFoundError extends Error {
  override readonly name = 'NotFound';
}

export async function attempt<T>(doing: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw new AwsCallError(doing, error);
  }
}

/** Runs an action body; bad input and SDK errors become failure outcomes, never exceptions. */
export async function guarded(key: string, ctx: ActionContext, body: () => Promise<ActionOutcome>): Promise<ActionOutcome> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof InputError) return invalidInput(error, key);
    if (error instanceof NotFoundError) return { type: 'failure', reason: 'aws-error', message: `${key}: ${error.message}`, errorKind: 'NotFound' };
    if (error instanceof AwsCallError) return awsFailure(error.cause, ctx, error.doing);
    return awsFailure(error, ctx, key);
  }
}

/** For plans: a live read that failed becomes a line of the plan instead of an exception. */
export function planReadProblem(error: unknown, ctx: PlanContext): string {
  if (error instanceof InputError) return `invalid input: ${error.message}`;
  if (error instanceof NotFoundError) return `check failed: ${error.message}`;
  const failure = error instanceof AwsCallError ? awsFailure(error.cause, ctx, error.doing) : awsFailure(error, ctx, 'reading live state');
  return failure.type === 'failure' ? `could not read the current state: ${failure.message}` : 'could not read the current state';
}

export const json = (value: unknown): string => JSON.stringify(value);
