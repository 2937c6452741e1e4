import { constants } from 'node:fs';
import { access, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { RunResult } from '../engine/engine';

export interface ReportMeta {
  readonly runbook: string;
  readonly title: string;
  readonly environment?: string;
  readonly startedAt: string;
}

/**
 * Why `--report FILE` could not be written, checked before the run starts (a deploy that succeeds
 * and then fails on its report path makes CI retry the deploy); undefined when it looks writable.
 */
export async function reportPathProblem(file: string): Promise<string | undefined> {
  const full = path.resolve(file);
  const dir = path.dirname(full);
  const info = await stat(dir).catch(() => undefined);
  if (!info) return `--report ${file}: the folder ${dir} does not exist; create it first or pick another path`;
  if (!info.isDirectory()) return `--report ${file}: ${dir} is not a folder`;
  const existing = await stat(full).catch(() => undefined);
  if (existing?.isDirectory()) return `--report ${file}: ${full} is a folder; name a file in it`;
  try {
    await access(existing ? full : dir, constants.W_OK);
  } catch {
    return `--report ${file}: ${existing ? full : `the folder ${dir}`} is not writable for this user`;
  }
  return undefined;
}

/** `--report FILE`: a JSON summary, or JUnit XML when FILE ends in `.xml` (for CI test tabs). */
export async function writeReport(file: string, result: RunResult, meta: ReportMeta, redact: (value: unknown) => unknown): Promise<void> {
  const text = file.toLowerCase().endsWith('.xml') ? junitReport(result, meta) : `${JSON.stringify(redact(jsonReport(result, meta)), null, 2)}\n`;
  await writeFile(file, file.toLowerCase().endsWith('.xml') ? String(redact(text)) : text);
}

export function jsonReport(result: RunResult, meta: ReportMeta) {
  return {
    runId: result.runId,
    runbook: meta.runbook,
    title: meta.title,
    ...(meta.environment ? { environment: meta.environment } : {}),
    startedAt: meta.startedAt,
    status: result.status,
    durationMs: result.durationMs,
    ...(result.failedStep ? { failedStep: result.failedStep } : {}),
    ...(result.error ? { error: result.error } : {}),
    approvals: result.approvals,
    undoErrors: result.undoErrors,
    steps: result.steps.map((step) => ({
      id: step.id,
      phase: step.phase,
      status: step.status,
      attempts: step.attempts,
      ...(step.durationMs !== undefined ? { durationMs: step.durationMs } : {}),
      ...(step.exitCode !== undefined ? { exitCode: step.exitCode } : {}),
      ...(step.message ? { message: step.message } : {}),
      ...(step.skipReason ? { skipReason: step.skipReason } : {}),
      ...(step.undo ? { undo: step.undo } : {}),
      outputs: step.outputs,
    })),
  };
}

export function junitReport(result: RunResult, meta: ReportMeta): string {
  const failures = result.steps.filter((s) => s.status === 'failed' || s.status === 'timed-out' || s.status === 'rollback-failed').length;
  const skipped = result.steps.filter((s) => s.status === 'skipped' || s.status === 'planned' || s.status === 'pending' || s.status === 'rolled-back').length;
  const seconds = (ms: number | undefined) => ((ms ?? 0) / 1000).toFixed(3);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="opsctl" tests="${result.steps.length}" failures="${failures}" time="${seconds(result.durationMs)}">`,
    `  <testsuite name="${xml(meta.runbook)}" tests="${result.steps.length}" failures="${failures}" skipped="${skipped}" time="${seconds(result.durationMs)}" timestamp="${xml(meta.startedAt)}">`,
  ];
  for (const step of result.steps) {
    lines.push(`    <testcase classname="${xml(meta.runbook)}" name="${xml(step.id)}" time="${seconds(step.durationMs)}">`);
    switch (step.status) {
      case 'failed':
      case 'timed-out':
      case 'rollback-failed':
        lines.push(`      <failure message="${xml(step.message ?? step.status)}" type="${xml(step.reason ?? step.status)}">${xml(step.message ?? '')}</failure>`);
        break;
      case 'skipped':
      case 'planned':
      case 'pending':
        lines.push(`      <skipped message="${xml(step.skipReason ?? step.status)}"/>`);
        break;
      case 'cancelled':
        lines.push(`      <error message="${xml(step.message ?? 'cancelled')}" type="cancelled"/>`);
        break;
      case 'rolled-back':
        // It succeeded, then the rollback undid it: its change is not in place, so not a pass.
        lines.push(`      <skipped message="rolled back: it succeeded, then its change was undone because the run failed"/>`);
        break;
      default:
        break;
    }
    lines.push('    </testcase>');
  }
  lines.push('  </testsuite>', '</testsuites>', '');
  return lines.join('\n');
}

function xml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    // XML 1.0 forbids most control characters even escaped.
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
}
