import { writeFileSync } from 'node:fs';
import { createColors } from 'picocolors';
import { resolve } from 'node:path';
import { ExitCode } from '../exit-codes';
import type { RunHooks, SessionInfo } from '../run-hooks';
import { usageError } from '../../util/errors';
import { refuseOverwrite } from '../../util/output-file';

export interface ChecklistFlags {
  readonly param?: string[];
  readonly env?: string;
  readonly output?: string;
  readonly report?: string;
  readonly yes?: boolean;
  readonly approve?: string[];
  readonly dryRun?: boolean;
  readonly force?: boolean;
}

/**
 * `opsctl checklist NAME [--report FILE]`: runs `checklists/NAME.yaml` through the run session
 * (journal, renderer, confirmations as for any run), then prints pass / warn / fail per item with
 * the measured value next to the expectation. Exit 1 when an item failed; warnings exit 0.
 */
export default async function checklist(name: string, flags: ChecklistFlags): Promise<void> {
  const cwd = process.cwd();
  const { loadConfig } = await import('../../config/load');
  const { locateChecklist } = await import('../../checklist/locate');
  const { collectSteps } = await import('../../checklist/collect');
  const { checklistItems } = await import('../../checklist/verdict');
  const { runSession } = await import('../run-session');
  const { createRunHooks } = await import('../run-hooks');

  const config = await loadConfig(cwd);
  const path = locateChecklist(name, config, cwd);
  if (flags.report) refuseOverwrite(resolve(cwd, flags.report), flags.force, 'checklist report');
  const collector = collectSteps();
  const base = await createRunHooks();
  let session: SessionInfo | undefined;
  // Delegate to the state hooks (journal, lock, record) and listen beside them.
  const hooks: RunHooks = Object.assign(Object.create(base) as RunHooks, {
    sinks: async (info: SessionInfo) => {
      session = info;
      return [...((await base.sinks?.(info)) ?? []), collector.sink];
    },
  });

  // F37: with no one to ask (CI, cron), manual items are a person's to-do, not a gate that stops
  // the automated checks: they are left out of the run and reported as TODO.
  const todo = await manualTodo(path, config, flags, cwd);
  const code = await runSession(
    {
      target: path,
      ...(todo.length > 0 ? { skip: todo } : {}),
      params: flags.param ?? [],
      ...(flags.env !== undefined ? { env: flags.env } : {}),
      ...(flags.output !== undefined ? { output: flags.output } : {}),
      dryRun: flags.dryRun ?? false,
      yes: flags.yes ?? false,
      approve: flags.approve ?? [],
    },
    hooks,
  );
  if (!session) return; // stopped before the run started (the session printed why)

  const { resolveValue } = await import('../../expr');
  const known = session;
  const context = {
    params: known.params,
    environment: { name: known.environment?.name ?? '', protected: known.environment?.protected ?? false, vars: known.environment?.vars ?? {} },
    env: process.env,
  };
  const items = checklistItems(known.graph, collector.records, (value) => {
    try {
      return resolveValue(value, context);
    } catch {
      return value; // reads vars or steps: shown as written
    }
  }).map((item) =>
    todo.includes(item.id) ? { ...item, verdict: 'not-run' as const, value: '', note: `TODO by a person (no terminal to ask): pass --approve ${item.id} once done` } : item,
  );
  const runbook = session.graph.runbook;
  if (flags.output === 'json') {
    process.stdout.write(`${JSON.stringify({ type: 'checklist.result', checklist: runbook.name, runId: session.runId, items })}\n`);
  } else {
    const { renderItems, verdictLine } = await import('../../checklist/render');
    const pc = createColors(Boolean(process.stdout.isTTY) && !process.env.NO_COLOR);
    process.stdout.write(`\n${renderItems(`${runbook.name} — ${runbook.title}`, items, pc)}`);
    if (!session.dryRun && (code === ExitCode.Success || code === ExitCode.StepFailed)) process.stdout.write(`${verdictLine(runbook.name, items, pc)}\n`);
  }

  if (flags.report) await writeChecklistReport(flags.report, session, items, collector, cwd);

  const failed = items.some((i) => i.verdict === 'fail');
  // A usage error, a refused confirmation or an interrupt keeps its own exit code.
  if (code === ExitCode.Success || code === ExitCode.StepFailed) process.exitCode = failed ? ExitCode.StepFailed : ExitCode.Success;
}

async function writeChecklistReport(
  file: string,
  session: SessionInfo,
  items: readonly import('../../checklist/verdict').ChecklistItem[],
  collector: import('../../checklist/collect').StepCollector,
  cwd: string,
): Promise<void> {
  const { renderReport } = await import('../../checklist/report');
  const { findTemplate } = await import('../../incident/render');
  const runbook = session.graph.runbook;
  const templateName = typeof runbook.vars['report_template'] === 'string' ? runbook.vars['report_template'] : 'checklist-report.md';
  const template = findTemplate(templateName, session.config.root);
  const steps: Record<string, { status: string; outputs: Readonly<Record<string, unknown>> }> = {};
  for (const [id, record] of collector.records) steps[id] = { status: record.status, outputs: record.outputs };
  const finished = collector.run.status ?? 'failed';
  const incidents = await storeIncidents(session);
  const result = renderReport(template.text, template.path, {
    ...(incidents && { incidents }),
    name: runbook.name,
    title: runbook.title,
    description: runbook.description ?? '',
    items,
    context: {
      params: session.params,
      environment: session.environment
        ? { name: session.environment.name, protected: session.environment.protected, vars: session.environment.vars }
        : { name: '', protected: false, vars: {} },
      run: { id: session.runId, user: session.user, dry_run: session.dryRun, status: finished, started_at: new Date(session.startedAt).toISOString() },
      steps,
      env: {},
    },
  });
  if (!result.ok) throw usageError(`cannot render the checklist report: ${result.message}`, 'fix the template; `checklist.*` holds name, title, summary, table, status, counts, items and item.<id>');
  const target = resolve(cwd, file);
  writeFileSync(target, session.redactor.redact(result.text));
  process.stderr.write(`report written to ${target}\n`);
}

/**
 * The incidents a report (the end-of-shift handoff) must show, from the state store: open ones and
 * those resolved in the last `params.hours` (default 12). A store that cannot be read says so in
 * the report rather than letting it claim there were none.
 */
async function storeIncidents(session: SessionInfo): Promise<{ text: string; open: number } | undefined> {
  const { openStore } = await import('../../state/open-store');
  const { handoffIncidentLines, shiftIncidents } = await import('../../incident/handoff');
  const now = session.clock.now();
  const hours = typeof session.params['hours'] === 'number' ? session.params['hours'] : 12;
  const since = now - hours * 3_600_000;
  try {
    const store = await openStore(session.config);
    try {
      const incidents = await store.listIncidents();
      return { text: handoffIncidentLines(incidents, session.config.incidents, now, since), open: shiftIncidents(incidents, since).open.length };
    } finally {
      await store.close();
    }
  } catch (error) {
    const { errorMessage } = await import('../../util/errors');
    return { text: `**Could not read the incidents from the state store** (${errorMessage(error)}): check \`opsctl incident list\` by hand.`, open: 0 };
  }
}

/** The manual items nobody can be asked about (no terminal, no --yes) and that were not --approve'd. */
async function manualTodo(path: string, config: import('../../config/model').Config, flags: ChecklistFlags, cwd: string): Promise<string[]> {
  if (flags.yes || flags.dryRun) return [];
  const { canPrompt, currentTerminal } = await import('../../ui/choose');
  if (canPrompt(currentTerminal())) return [];
  const { loadRunbook } = await import('../../runbook/load');
  const { defaultRegistry } = await import('../../adapters/registry');
  const loaded = await loadRunbook(path, { registry: defaultRegistry, config, cwd });
  if (!loaded.ok) return []; // the session reports the diagnostics
  const approved = new Set(flags.approve ?? []);
  return loaded.graph.order.filter((id) => loaded.graph.steps.get(id)?.action.kind === 'manual' && !approved.has(id));
}
