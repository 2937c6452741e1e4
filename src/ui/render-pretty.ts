import { createColors } from 'picocolors';
import type { EventSink } from '../engine/events';
import { formatDuration } from '../util/duration';
import { eventLines } from './event-lines';
import { ignoreClosedPipe } from './render-json';
import { applyEvent, finalLine, newSummary, summaryTable, type Paint } from './run-summary';
import { Ticker } from './spinner';

export interface PrettyOptions {
  readonly out?: NodeJS.WriteStream | NodeJS.WritableStream;
  readonly color?: boolean;
  readonly now?: () => number;
}

export interface PrettyRenderer extends EventSink {
  /** Stops drawing the live area (while a prompt is on screen). */
  pause(): void;
  resume(): void;
}

interface Live {
  readonly step: string;
  readonly title?: string;
  readonly since: number;
  last?: string;
}

/**
 * `--output pretty` (the default on a terminal): finished transitions scroll up as lines; below
 * them a live area shows a spinner, elapsed time and the latest output line of each running step.
 * Output lines are printed too, prefixed by the step id, so nothing a step says is lost.
 */
export function prettyRenderer(options: PrettyOptions = {}): PrettyRenderer {
  const out = options.out ?? process.stdout;
  ignoreClosedPipe(out);
  const colors = createColors(options.color ?? true);
  const paint: Paint = { bold: colors.bold, dim: colors.dim, red: colors.red, green: colors.green, yellow: colors.yellow, cyan: colors.cyan };
  const now = options.now ?? Date.now;
  const summary = newSummary();
  const live = new Map<string, Live>();
  let drawn = 0;
  let paused = false;
  const columns = () => ('columns' in out && typeof out.columns === 'number' && out.columns > 20 ? out.columns : 100);

  const clear = () => {
    if (drawn > 0) out.write(`\x1b[${drawn}A\x1b[0J`);
    drawn = 0;
  };
  const draw = () => {
    clear();
    if (paused || live.size === 0) return;
    const width = columns();
    for (const entry of live.values()) {
      const elapsed = formatDuration(now() - entry.since);
      let line = `${colors.cyan(ticker.symbol)} ${colors.bold(entry.step)}${entry.title ? colors.dim(` ${entry.title}`) : ''} ${colors.dim(elapsed)}`;
      if (entry.last) line += colors.dim(`  │ ${entry.last}`);
      out.write(`${truncate(line, width)}\n`);
      drawn += 1;
    }
  };
  const ticker = new Ticker(draw);
  // While a prompt is on screen, lines wait here so they never tear through the question.
  const held: string[] = [];
  const print = (lines: readonly string[]) => {
    if (lines.length === 0) return;
    if (paused) {
      held.push(...lines);
      return;
    }
    clear();
    out.write(lines.map((l) => `${l}\n`).join(''));
    draw();
  };

  return {
    emit(event) {
      applyEvent(summary, event);
      switch (event.type) {
        case 'step.started':
          live.set(event.step, { step: event.step, ...(event.title ? { title: event.title } : {}), since: Date.parse(event.ts) });
          ticker.start();
          if (event.attempt > 1) print(eventLines(event, paint));
          else draw();
          return;
        case 'step.output': {
          const entry = live.get(event.step);
          if (entry) entry.last = event.text;
          print([`${colors.dim(`  ${event.step} │`)} ${event.text}`]);
          return;
        }
        case 'step.progress': {
          const entry = live.get(event.step);
          if (entry) entry.last = event.message;
          draw();
          return;
        }
        case 'step.succeeded':
        case 'step.failed':
        case 'step.timed-out':
        case 'step.cancelled':
          live.delete(event.step);
          if (live.size === 0) ticker.stop();
          break;
        case 'step.awaiting-confirmation':
          // The prompt itself shows the question on a terminal.
          return;
        case 'run.finished':
          live.clear();
          ticker.stop();
          print(['', ...summaryTable(summary, paint, formatDuration), '', finalLine(summary, paint, formatDuration)]);
          return;
        default:
          break;
      }
      print(eventLines(event, paint));
    },
    pause() {
      paused = true;
      clear();
    },
    resume() {
      paused = false;
      print(held.splice(0));
      draw();
    },
    async close() {
      ticker.stop();
      clear();
    },
  };
}

function truncate(line: string, width: number): string {
  // Count visible characters only: escape sequences take no room.
  let visible = 0;
  let out = '';
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '\x1b') {
      const end = line.indexOf('m', i);
      if (end > 0) {
        out += line.slice(i, end + 1);
        i = end;
        continue;
      }
    }
    if (visible >= width - 1) return `${out}\x1b[0m`;
    out += line[i];
    visible += 1;
  }
  return out;
}
