import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { readHistory } from '../../incident/history';
import { postmortemContext } from '../../incident/postmortem';
import { findTemplate, renderIncidentTemplate } from '../../incident/render';
import { selectForReview } from '../../incident/select';
import { refuseOverwrite } from '../../util/output-file';
import { printJson, withIncidentSession } from './incident-shared';

/**
 * `opsctl incident postmortem [ID] [--output FILE]`: renders templates/postmortem.md from the
 * timeline. `--output json` prints the data instead; any other value is the file to write.
 */
export default async function postmortem(id: string | undefined, options: { id?: string; output?: string; force?: boolean }): Promise<void> {
  const target = options.output;
  const format = target === 'json' || target === 'plain' || target === 'pretty' ? target : undefined;
  if (target !== undefined && !format) refuseOverwrite(resolve(target), options.force, 'postmortem draft');
  await withIncidentSession(format, async (session) => {
    const incident = await selectForReview(session.store, id ?? options.id);
    const { entries, timeline } = await readHistory(session.store, incident);
    const context = postmortemContext({ incident, entries, timeline, policy: session.policy, generatedAt: new Date(session.clock.now()).toISOString() });
    if (format === 'json') {
      printJson({ type: 'incident.postmortem', postmortem: context });
      return;
    }
    const template = findTemplate('postmortem.md', session.config.root);
    const text = renderIncidentTemplate(template.text, context, template.path);
    if (target === undefined || format) {
      process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
      return;
    }
    const file = resolve(target);
    await writeFile(file, text.endsWith('\n') ? text : `${text}\n`);
    process.stderr.write(`postmortem draft for ${incident.id} written to ${file}\n`);
  });
}
