/**
 * Random hex digits for names that must not collide (run ids, temporary files), not for secrets.
 * Math.random, which V8 seeds from the OS in each process, instead of node:crypto: loading that
 * cost each run ~2.5 ms of start-up.
 */
export function randomHex(digits: number): string {
  let hex = '';
  while (hex.length < digits) hex += Math.floor(Math.random() * 0x1_0000_0000).toString(16).padStart(8, '0');
  return hex.slice(0, digits);
}
