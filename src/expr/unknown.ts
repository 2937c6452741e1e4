/**
 * A value not known yet: it depends on the outputs of a step that has not run (dry-run, plan).
 * Shown as `<unknown: steps.X.outputs.Y>`; conditions over it are decided at run time.
 */
export class Unknown {
  constructor(
    /** The expressions whose values are missing, as written. */
    readonly expressions: readonly string[],
    /** The text a person reads: the template with each unknown part shown as `<unknown: …>`. */
    readonly display: string,
  ) {}

  static of(expression: string): Unknown {
    return new Unknown([expression], `<unknown: ${expression}>`);
  }

  toString(): string {
    return this.display;
  }

  toJSON(): string {
    return this.display;
  }
}

export function isUnknown(value: unknown): value is Unknown {
  return value instanceof Unknown;
}
