import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { RunEvent } from '../../src/engine/events';
import { ROOT, runOpsctl, tempProject, type RunOptions, type RunResult } from './helpers';

/** Runbook fixtures of the engine's e2e tests. */
export const fixture = (name: string) => join(ROOT, 'test/fixtures/engine', `${name}.yaml`);

/** Runs opsctl in a fresh folder (no opsctl.yaml above it, no CI prompts). */
export async function runIn(dir: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return runOpsctl(args, { cwd: dir, ...options, env: { CI: 'true', GITHUB_ACTIONS: undefined, OPSCTL_USER: 'tester', ...options.env } });
}

export function project(files: Readonly<Record<string, string>> = {}) {
  return tempProject(files);
}

export function ndjson(stdout: string): RunEvent[] {
  return stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as RunEvent);
}

export const exists = (dir: string, file: string) => existsSync(join(dir, file));

export function eventOf<T extends RunEvent['type']>(events: readonly RunEvent[], type: T, step?: string): Extract<RunEvent, { type: T }> {
  const found = events.find((e) => e.type === type && (step === undefined || ('step' in e && e.step === step)));
  if (!found) throw new Error(`no ${type}${step ? ` of ${step}` : ''} in ${events.map((e) => e.type).join(', ')}`);
  return found as Extract<RunEvent, { type: T }>;
}
