import type { ChecklistItem, Verdict } from './verdict';
import { countVerdicts, summaryLine } from './verdict';
import { noPaint, type Paint } from '../ui/paint';

export { noPaint, type Paint };

const LABEL: Record<Verdict, string> = { pass: 'PASS', warn: 'WARN', fail: 'FAIL', skip: 'SKIP', planned: 'PLAN', 'not-run': '----' };

/** The terminal table: verdict, item, measured value, expectation (and why, for fail/skip). */
export function renderItems(title: string, items: readonly ChecklistItem[], paint: Paint = noPaint): string {
  const titleWidth = Math.min(40, Math.max(4, ...items.map((i) => i.title.length)));
  const valueWidth = Math.min(40, Math.max(5, ...items.map((i) => i.value.length)));
  const lines = [paint.bold(title)];
  for (const item of items) {
    const label = colour(item.verdict, LABEL[item.verdict], paint);
    const value = item.value || (item.verdict === 'skip' || item.verdict === 'planned' || item.verdict === 'not-run' ? '-' : '');
    const expect = item.expect ? paint.dim(`expected: ${item.expect}`) : '';
    let line = `  ${label}  ${pad(item.title, titleWidth)}  ${pad(value, valueWidth)}  ${expect}`.trimEnd();
    if (item.note && item.verdict !== 'pass') line += paint.dim(`  (${item.note})`);
    lines.push(line);
  }
  lines.push(summaryLine(items));
  return `${lines.join('\n')}\n`;
}

/**
 * The checklist's closing line, the verdict the exit code carries: failed (exit 1) when an item
 * failed, else passed (with warnings). Printed last so nothing after it contradicts it.
 */
export function verdictLine(name: string, items: readonly ChecklistItem[], paint: Paint = noPaint): string {
  const c = countVerdicts(items);
  const notDone = c.notRun + c.planned;
  const open = notDone > 0 ? `; ${notDone} not run` : '';
  if (c.fail > 0) return paint.red(paint.bold(`checklist \`${name}\` failed: ${c.fail} of ${items.length} item${items.length === 1 ? '' : 's'} failed${open}`));
  if (c.warn > 0) return paint.yellow(`checklist \`${name}\` passed with ${c.warn} warning${c.warn === 1 ? '' : 's'}${open}`);
  return paint.green(`checklist \`${name}\` passed${open}`);
}

/** A markdown table of the items, for reports. Pipes in values are escaped. */
export function markdownTable(items: readonly ChecklistItem[]): string {
  const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const rows = items.map((i) => `| ${LABEL[i.verdict]} | ${cell(i.title)} | ${cell(i.value)} | ${cell(i.expect)} | ${cell(i.note)} |`);
  return ['| Result | Check | Measured | Expected | Note |', '|---|---|---|---|---|', ...rows].join('\n');
}

function colour(verdict: Verdict, text: string, paint: Paint): string {
  switch (verdict) {
    case 'pass':
      return paint.green(text);
    case 'warn':
      return paint.yellow(text);
    case 'fail':
      return paint.red(text);
    case 'skip':
    case 'planned':
    case 'not-run':
      return paint.dim(text);
    default:
      return unreachableVerdict(verdict);
  }
}

function unreachableVerdict(verdict: never): never {
  throw new Error(`unexpected verdict ${String(verdict)}`);
}

function pad(text: string, width: number): string {
  const cut = text.length > width ? `${text.slice(0, width - 1)}…` : text;
  return cut.padEnd(width);
}
