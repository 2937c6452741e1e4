import { ExitCode } from '../cli/exit-codes';
import { OpsctlError } from '../util/errors';

/** An expression that does not parse or cannot be evaluated; a step that hits it fails. */
export class ExpressionError extends OpsctlError {
  constructor(
    message: string,
    readonly expression: string,
  ) {
    super(`${message} in \`\${{ ${expression} }}\``, ExitCode.StepFailed);
    this.name = 'ExpressionError';
  }
}
