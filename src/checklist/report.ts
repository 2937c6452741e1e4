import { interpolate, stringify, ExpressionError, type ExprContext } from '../expr';
import type { ChecklistItem } from './verdict';
import { countVerdicts, summaryLine } from './verdict';
import { markdownTable } from './render';

export interface ReportInput {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly items: readonly ChecklistItem[];
  /** The run's contexts: params, environment, run, steps (as at the end of the run). */
  readonly context: ExprContext;
  /** Incidents from the state store, as markdown (open ones, and those resolved during the shift). */
  readonly incidents?: { readonly text: string; readonly open: number };
}

export type ReportResult = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly message: string };

/**
 * Renders a report template with the runbooks' own `${{ }}` expressions. The `checklist` root
 * holds: name, title, description, summary, table (markdown), status (pass|warn|fail), counts
 * {pass, warn, fail, skip}, items [{id, title, verdict, value, expect, note}], item (by id),
 * incidents (markdown from the state store) and open_incidents (how many are open).
 */
export function renderReport(template: string, templatePath: string, input: ReportInput): ReportResult {
  const counts = countVerdicts(input.items);
  const checklist = {
    name: input.name,
    title: input.title,
    description: input.description,
    summary: summaryLine(input.items),
    table: markdownTable(input.items),
    status: counts.fail > 0 ? 'fail' : counts.warn > 0 ? 'warn' : 'pass',
    counts: { pass: counts.pass, warn: counts.warn, fail: counts.fail, skip: counts.skip },
    items: input.items.map((i) => ({ ...i })),
    item: Object.fromEntries(input.items.map((i) => [i.id, { ...i }])),
    incidents: input.incidents?.text ?? '',
    open_incidents: input.incidents?.open ?? 0,
  };
  try {
    return { ok: true, text: stringify(interpolate(template, { ...input.context, checklist })) };
  } catch (error) {
    if (!(error instanceof ExpressionError)) throw error;
    const offset = template.indexOf(error.expression);
    const line = offset < 0 ? 1 : template.slice(0, offset).split('\n').length;
    return { ok: false, message: `${templatePath}:${line}: ${error.message}` };
  }
}
