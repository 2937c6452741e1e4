import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import { runbookCalls } from './calls';
import type { Runbook } from './model';

/**
 * `requires: { tools, env }`, checked before a run starts (DESIGN.md §2: before any side
 * effect): every tool on PATH, every environment variable set. Pure core; the file system
 * probe is passed in (the default looks at PATH).
 */
export interface Unmet {
  readonly tools: readonly string[];
  readonly env: readonly string[];
  readonly message: string;
  readonly hint: string;
}

export function unmetRequirements(runbook: Pick<Runbook, 'name' | 'requires'>, env: Readonly<Record<string, string | undefined>>, hasTool: (tool: string) => boolean = (tool) => onPath(tool, env.PATH)): Unmet | undefined {
  const tools = runbook.requires.tools.filter((tool) => !hasTool(tool));
  const vars = runbook.requires.env.filter((name) => env[name] === undefined || env[name] === '');
  if (tools.length === 0 && vars.length === 0) return undefined;
  const parts = [
    ...(tools.length ? [`${tools.length === 1 ? 'a tool' : 'tools'} not found on PATH: ${tools.join(', ')}`] : []),
    ...(vars.length ? [`environment variable${vars.length === 1 ? '' : 's'} not set: ${vars.join(', ')}`] : []),
  ];
  const hint = [...(tools.length ? ['install the tools (or fix PATH)'] : []), ...(vars.length ? [`set ${vars.map((v) => `${v}=…`).join(' ')}`] : [])].join(' and ');
  return { tools, env: vars, message: `runbook \`${runbook.name}\` requires ${parts.join('; ')}`, hint: `${hint}, then run again; nothing was changed` };
}

/**
 * The first unmet `requires` among the runbook and those it calls by a literal name (their
 * steps run inside this run, so their tools must be there before it starts too).
 */
export async function unmetInCallTree(
  root: Pick<Runbook, 'name' | 'requires' | 'steps' | 'finally'>,
  env: Readonly<Record<string, string | undefined>>,
  load: (name: string) => Promise<Runbook | undefined>,
  hasTool: (tool: string) => boolean = (tool) => onPath(tool, env.PATH),
): Promise<Unmet | undefined> {
  const own = unmetRequirements(root, env, hasTool);
  if (own) return own;
  const seen = new Set<string>([root.name]);
  const queue: { readonly runbook: Pick<Runbook, 'name' | 'steps' | 'finally'>; readonly depth: number }[] = [{ runbook: root, depth: 0 }];
  for (let next = queue.shift(); next; next = queue.shift()) {
    if (next.depth > 8) continue;
    for (const call of runbookCalls(next.runbook)) {
      if (seen.has(call.name)) continue;
      seen.add(call.name);
      const child = await load(call.name);
      if (!child) continue; // reported when the step runs
      const unmet = unmetRequirements(child, env, hasTool);
      if (unmet) return { ...unmet, message: `${unmet.message} (run by step \`${call.step.id}\` of \`${next.runbook.name}\`)` };
      queue.push({ runbook: child, depth: next.depth + 1 });
    }
  }
  return undefined;
}

/** Whether `tool` is an executable file on PATH (or at that path, when it holds a slash). */
export function onPath(tool: string, path: string | undefined): boolean {
  const candidates = tool.includes('/') || isAbsolute(tool) ? [tool] : (path ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, tool));
  return candidates.some((file) => {
    try {
      accessSync(file, constants.X_OK);
      return statSync(file).isFile();
    } catch {
      return false;
    }
  });
}
