/** Paints text: the plain format passes `noPaint`, pretty passes picocolors' colours. */
export interface Paint {
  readonly bold: (s: string) => string;
  readonly dim: (s: string) => string;
  readonly red: (s: string) => string;
  readonly green: (s: string) => string;
  readonly yellow: (s: string) => string;
  readonly cyan: (s: string) => string;
}

const same = (s: string) => s;
export const noPaint: Paint = { bold: same, dim: same, red: same, green: same, yellow: same, cyan: same };
