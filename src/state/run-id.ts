import { randomHex } from '../util/random-hex';

/**
 * Run ids sort by start time and are short enough to type: `20261122T143000-ab12cd` (UTC, to
 * the second, then six random hex digits, so runs started in one second, or under a fixed
 * OPSCTL_NOW, do not collide).
 */
export function newRunId(now: number, random: () => string = () => randomHex(6)): string {
  const iso = new Date(now).toISOString(); // 2026-11-22T14:30:00.000Z
  const stamp = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}`;
  return `${stamp}-${random()}`;
}

export const RUN_ID_PATTERN = /^\d{8}T\d{6}-[0-9a-f]{4,}$/;
