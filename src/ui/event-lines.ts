import type { RunEvent } from '../engine/events';
import { formatDuration } from '../util/duration';
import { paintStatus, statusSymbol, type Paint } from './run-summary';

/**
 * The human lines of one event, shared by the pretty and plain renderers (which add time stamps,
 * colours and live areas). `step.output` is handled by the renderers themselves.
 */
export function eventLines(event: RunEvent, paint: Paint): string[] {
  const name = (step: string, title?: string) => `${paint.bold(step)}${title ? paint.dim(` (${title})`) : ''}`;
  switch (event.type) {
    case 'run.started': {
      const params = Object.entries(event.params).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
      return [
        `${paint.bold(event.dryRun ? 'plan' : 'run')} ${paint.cyan(event.runbook)}${event.title ? ` — ${event.title}` : ''}` +
          (event.environment ? ` ${paint.dim('env')} ${event.environment}` : '') +
          (params.length ? ` ${paint.dim('params')} ${params.join(' ')}` : '') +
          (event.resumedFrom ? ` ${paint.dim('resuming')} ${event.resumedFrom}` : ''),
      ];
    }
    case 'step.planned': {
      // A listed step (a wait) says what it would do in its own words: `would wait 30s`.
      const verb = event.listed ? 'would' : `would ${event.effect === 'write' ? 'change' : 'read'}:`;
      const lines = [`${paintStatus(statusSymbol('planned'), 'planned', paint)} ${name(event.step, event.title)} ${paint.dim(verb)} ${event.plan.summary}`];
      for (const detail of event.plan.details ?? []) for (const line of detail.split('\n')) lines.push(`    ${line}`);
      if (event.gate) lines.push(`    ${paint.yellow('needs confirmation:')} ${event.gate}`);
      if (event.when) lines.push(`    ${paint.dim(`when ${event.when}`)}`);
      if (event.deferred) lines.push(`    ${paint.dim(event.deferred)}`);
      return lines;
    }
    case 'step.skipped':
      return [`${paint.dim(`${statusSymbol('skipped')} ${event.step} skipped: ${event.reason}`)}`];
    case 'step.awaiting-confirmation':
      return [`${paint.yellow('?')} ${name(event.step)} needs confirmation: ${event.message}`];
    case 'step.confirmed':
      return [`${paint.green('✔')} ${name(event.step)} confirmed by ${event.by} ${paint.dim(`(${event.via === 'prompt' ? 'at the prompt' : event.via === 'yes' ? '--yes' : '--approve'})`)}`];
    case 'step.declined':
      return [`${paint.yellow('■')} ${name(event.step)} not confirmed: ${event.reason}`];
    case 'step.started':
      return [`${paint.cyan('▶')} ${name(event.step, event.title)}${event.attempt > 1 ? paint.dim(` attempt ${event.attempt}`) : ''}`];
    case 'step.output':
      return [`${paint.dim(`[${event.step}]`)} ${event.text}`];
    case 'step.progress':
      return [`${paint.dim(`[${event.step}] ${event.message}`)}`];
    case 'step.retrying':
      return [`${paint.yellow('↻')} ${name(event.step)} failed (${event.reason}); attempt ${event.attempt} in ${formatDuration(event.delayMs)}`];
    case 'step.succeeded':
      return [`${paint.green('✔')} ${name(event.step)} ${paint.dim(formatDuration(event.durationMs))}`];
    case 'step.failed':
      return [`${paint.red('✖')} ${name(event.step)} failed ${paint.dim(`(${event.reason}${event.exitCode !== undefined ? `, exit code ${event.exitCode}` : ''}, ${formatDuration(event.durationMs)})`)}: ${event.message}`];
    case 'step.timed-out': {
      const after = `timed out after ${formatDuration(event.timeoutMs)}`;
      // The adapter's words after ours (an ECS wait's last state); "the script timed out after 1s" adds nothing.
      const words = event.message === undefined || event.message.endsWith(after) ? '' : event.message.startsWith(`${after}: `) ? event.message.slice(after.length + 2) : event.message;
      return [`${paint.red('✖')} ${name(event.step)} ${after}${words ? `: ${words}` : ''}`];
    }
    case 'step.cancelled':
      return [`${paint.yellow('■')} ${name(event.step)} cancelled ${paint.dim(formatDuration(event.durationMs))}`];
    case 'step.rolling-back':
      return [`${paint.yellow('↺')} ${name(event.step)} rolling back`];
    case 'step.rolled-back':
      return [`${paint.green('↺')} ${name(event.step)} rolled back ${paint.dim(formatDuration(event.durationMs))}`];
    case 'step.rollback-failed':
      return [`${paint.red('✖')} ${name(event.step)} undo failed: ${event.message}`];
    case 'log': {
      const text = `${event.step ? `[${event.step}] ` : ''}${event.message}`;
      return [event.level === 'error' ? paint.red(text) : event.level === 'warn' ? paint.yellow(text) : text];
    }
    case 'run.finished':
      return [];
    default: {
      const never: never = event;
      return [JSON.stringify(never)];
    }
  }
}
