import { hasExpression } from '../expr/template';
import { didYouMeanHint } from './did-you-mean';
import type { Diagnostic } from './diagnostics';
import type { Locator, Path } from './locate';
import type { Runbook, Step } from './model';
import { diagnostic } from './rules/types';

/**
 * `runbook:` steps, checked against the runbooks they call: the target exists, gets its required
 * params and no unknown ones, and no runbook calls itself (directly or through others). The
 * search path and file reads are passed in as a resolver, so this stays a pure check.
 */
export type CallTarget =
  | {
      readonly found: true;
      /** Identity of the file (its absolute path), for cycles. */
      readonly key: string;
      /** Undefined when the file does not load; `errors` says how many problems it has. */
      readonly runbook?: Runbook;
      readonly errors: number;
    }
  | { readonly found: false; readonly message: string; readonly hint?: string };

export interface CallResolver {
  resolve(name: string): Promise<CallTarget>;
}

/** One `runbook:` action with a literal name (a name from an expression is known only at run time). */
export interface RunbookCall {
  readonly step: Step;
  readonly name: string;
  readonly params: Readonly<Record<string, unknown>>;
  /** Where the action's value sits: `['steps', 2, 'runbook']` or `[…, 'undo', 'runbook']`. */
  readonly path: Path;
}

export function runbookCalls(runbook: Pick<Runbook, 'steps' | 'finally'>): RunbookCall[] {
  const out: RunbookCall[] = [];
  const add = (list: 'steps' | 'finally', steps: readonly Step[]) =>
    steps.forEach((step, index) => {
      const actions = [{ action: step.action, path: [list, index, 'runbook'] }, ...(typeof step.undo === 'object' ? [{ action: step.undo, path: [list, index, 'undo', 'runbook'] }] : [])];
      for (const { action, path } of actions) {
        const name = action.input.name;
        if (action.kind !== 'runbook' || typeof name !== 'string' || hasExpression(name)) continue;
        const params = action.input.params;
        out.push({ step, name, params: params !== null && typeof params === 'object' && !Array.isArray(params) ? (params as Record<string, unknown>) : {}, path });
      }
    });
  add('steps', runbook.steps);
  add('finally', runbook.finally);
  return out;
}

export async function checkRunbookCalls(runbook: Runbook, self: string, locator: Locator, resolver: CallResolver): Promise<Diagnostic[]> {
  const out: Diagnostic[] = [];
  for (const call of runbookCalls(runbook)) {
    const at = locator.range([...call.path, 'name']);
    const label = `step \`${call.step.id}\``;
    const target = await resolver.resolve(call.name);
    if (!target.found) {
      out.push(diagnostic('error', 'unknown-runbook', `${label} runs \`${call.name}\`: ${target.message}`, at, target.hint));
      continue;
    }
    if (!target.runbook) {
      out.push(diagnostic('error', 'invalid-runbook', `${label} runs \`${call.name}\`, which does not load (${target.errors} error${target.errors === 1 ? '' : 's'})`, at, `\`opsctl validate ${call.name}\` shows them`));
      continue;
    }
    out.push(...checkParams(call, target.runbook, locator));
    const cycle = await findCycle(target, [{ key: self, name: runbook.name }], resolver, new Set());
    if (cycle) {
      const names = cycle.map((c) => `\`${c}\``).join(' → ');
      const message = cycle[0] === runbook.name && cycle.at(-1) === runbook.name ? `runbook \`${runbook.name}\` calls itself: ${names}` : `${label} runs \`${call.name}\`, which calls itself: ${names}`;
      out.push(diagnostic('error', 'runbook-cycle', message, at, 'a runbook may not call itself, directly or through others: the run would never end; break the chain'));
    }
  }
  return out;
}

function checkParams(call: RunbookCall, target: Runbook, locator: Locator): Diagnostic[] {
  const out: Diagnostic[] = [];
  const declared = target.params.map((p) => p.name);
  for (const name of Object.keys(call.params)) {
    if (declared.includes(name)) continue;
    const hint = didYouMeanHint(name, declared) ?? (declared.length ? `it takes: ${declared.join(', ')}` : 'it takes no params');
    out.push(diagnostic('error', 'unknown-runbook-param', `runbook \`${call.name}\` has no param \`${name}\` (given by step \`${call.step.id}\`)`, locator.range([...call.path, 'params', name], 'key'), hint));
  }
  for (const spec of target.params) {
    if (!spec.required || spec.default !== undefined || call.params[spec.name] !== undefined) continue;
    out.push(
      diagnostic('error', 'missing-runbook-param', `step \`${call.step.id}\` runs \`${call.name}\` without its required param \`${spec.name}\``, locator.range([...call.path, 'name']), `add it: runbook: { name: ${call.name}, params: { ${spec.name}: … } }`),
    );
  }
  return out;
}

interface Frame {
  readonly key: string;
  readonly name: string;
}

/** The first chain of calls from `target` that comes back to a runbook already on `stack`, as names. */
async function findCycle(target: CallTarget & { found: true }, stack: readonly Frame[], resolver: CallResolver, clean: Set<string>): Promise<string[] | undefined> {
  const name = target.runbook?.name ?? target.key;
  const seen = stack.findIndex((frame) => frame.key === target.key);
  if (seen >= 0) return [...stack.slice(seen).map((frame) => frame.name), name];
  if (!target.runbook || clean.has(target.key)) return undefined;
  const next = [...stack, { key: target.key, name }];
  for (const call of runbookCalls(target.runbook)) {
    const callee = await resolver.resolve(call.name);
    if (!callee.found) continue;
    const cycle = await findCycle(callee, next, resolver, clean);
    if (cycle) return cycle;
  }
  clean.add(target.key);
  return undefined;
}
