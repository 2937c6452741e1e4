import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
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
