import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../config/package-root';
import { ExpressionError, interpolate, stringify } from '../expr';
import { usageError } from '../util/errors';
import type { PostmortemContext } from './postmortem';

/**
 * Renders a markdown template with the runbooks' own `${{ }}` expressions (one templating
 * language). The context is the `incident` root; lists are written with CEL's `map`/`join`.
 */
export function renderIncidentTemplate(template: string, incident: PostmortemContext, file: string): string {
  try {
    return stringify(interpolate(template, { incident: incident as unknown as Readonly<Record<string, unknown>> }));
  } catch (error) {
    if (!(error instanceof ExpressionError)) throw error;
    const offset = template.indexOf(error.expression);
    const line = offset < 0 ? 1 : template.slice(0, offset).split('\n').length;
    throw usageError(`${file}:${line}: ${error.message}`, 'fix the expression in the template; `incident.*` holds the fields listed in src/incident/postmortem.ts');
  }
}

/** `templates/NAME` of the project (beside opsctl.yaml) if it has one, else the one shipped with opsctl. */
export function findTemplate(name: string, projectRoot: string): { path: string; text: string } {
  const candidates = [join(projectRoot, 'templates', name), join(packageRoot(), 'templates', name)];
  for (const path of candidates) if (existsSync(path)) return { path, text: readFileSync(path, 'utf8') };
  throw usageError(`template \`${name}\` not found`, `looked in ${candidates.join(' and ')}`);
}
