import type { EventSink, RunEvent } from '../engine/events';
import { formatDuration } from '../util/duration';
import { eventLines } from './event-lines';
import { ignoreClosedPipe } from './render-json';
import { applyEvent, finalLine, newSummary, noPaint, summaryTable } from './run-summary';

export interface PlainOptions {
  readonly out?: NodeJS.WritableStream;
  /** `GITHUB_ACTIONS=true`: `::group::` per step, `::error::` on failure. */
  readonly githubActions?: boolean;
}

/**
 * `--output plain` (the default off a terminal): one time-stamped line per transition, each
 * output line prefixed by its step id so parallel steps stay readable.
 */
export function plainRenderer(options: PlainOptions = {}): EventSink {
  const out = options.out ?? process.stdout;
  ignoreClosedPipe(out);
  const summary = newSummary();
  const openGroups = new Set<string>();
  const write = (event: RunEvent, line: string) => out.write(`${event.ts.slice(11, 23)} ${line}\n`);
  const endGroup = (step: string) => {
    if (!options.githubActions || !openGroups.delete(step)) return;
    out.write('::endgroup::\n');
  };
  return {
    emit(event) {
      applyEvent(summary, event);
      if (options.githubActions && event.type === 'step.started' && event.attempt === 1 && openGroups.size === 0) {
        openGroups.add(event.step);
        out.write(`::group::${event.step}${event.title ? ` — ${event.title}` : ''}\n`);
      }
      for (const line of eventLines(event, noPaint)) write(event, line);
      switch (event.type) {
        case 'step.succeeded':
        case 'step.cancelled':
          endGroup(event.step);
          break;
        case 'step.failed':
        case 'step.timed-out':
        case 'step.rollback-failed':
          endGroup(event.step);
          if (options.githubActions) {
            const message = event.type === 'step.timed-out' ? (event.message ?? `timed out after ${formatDuration(event.timeoutMs)}`) : event.message;
            out.write(`::error title=opsctl step ${event.step}::${escapeCommand(`step ${event.step}: ${message}`)}\n`);
          }
          break;
        case 'run.finished':
          for (const step of [...openGroups]) endGroup(step);
          for (const line of summaryTable(summary, noPaint, formatDuration)) out.write(`${line}\n`);
          out.write(`${finalLine(summary, noPaint, formatDuration)}\n`);
          break;
        default:
          break;
      }
    },
  };
}

/** GitHub workflow commands need `%`, CR and LF escaped. */
function escapeCommand(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
