import { isMap, isScalar, isSeq, type Document, type YAMLMap } from 'yaml';
import type { AdapterRegistry } from '../../adapters/types';
import type { Diagnostic } from '../diagnostics';
import { actionKeys } from '../format';
import type { SourceFile } from '../source-file';
import { nodeRange } from '../validate-schema';
import { diagnostic } from './types';

/**
 * One action per step (and per `undo`), checked on the YAML before normalizing. A step whose
 * misspelt action key was already reported as unknown does not get a second message.
 */
export function checkStepShapes(doc: Document, source: SourceFile, registry: AdapterRegistry): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const list of ['steps', 'finally']) {
    const seq = doc.get(list, true);
    if (!isSeq(seq)) continue;
    for (const item of seq.items) {
      if (!isMap(item)) continue;
      const keys = keysOf(item);
      const id = item.get('id');
      const label = typeof id === 'string' ? `step \`${id}\`` : 'this step';
      const { actions } = actionKeys(keys, registry);
      if (actions.length === 0) {
        const hasUnknown = keys.some((k) => !isStepField(k) && registry.get(k) === undefined);
        if (!hasUnknown) out.push(diagnostic('error', 'no-action', `${label} has no action`, nodeRange(source, item), 'add exactly one action, such as `shell`, `http`, `sql` or `wait` (`opsctl schema` lists them all)'));
      } else if (actions.length > 1) {
        const second = item.items.find((p) => isScalar(p.key) && p.key.value === actions[1]);
        out.push(
          diagnostic('error', 'two-actions', `${label} has ${actions.length} actions: ${actions.map((a) => `\`${a}\``).join(', ')}`, nodeRange(source, second?.key ?? item), 'a step does one thing; split it into one step per action'),
        );
      }
      const undo = item.get('undo', true);
      if (isMap(undo)) {
        const undoActions = keysOf(undo).filter((k) => registry.get(k) !== undefined);
        if (undoActions.length !== 1 && keysOf(undo).every((k) => registry.get(k) !== undefined)) {
          out.push(diagnostic('error', 'undo-actions', `the \`undo\` of ${label} must hold exactly one action, not ${undoActions.length}`, nodeRange(source, undo), `e.g. undo: { shell: ./revert.sh }`));
        }
      }
    }
  }
  return out;
}

const STEP_FIELDS = new Set(['id', 'title', 'needs', 'when', 'confirm', 'timeout', 'retry', 'on_failure', 'undo', 'idempotent', 'readonly', 'outputs', 'env', 'cwd']);

function isStepField(key: string): boolean {
  return STEP_FIELDS.has(key);
}

function keysOf(map: YAMLMap): string[] {
  return map.items.map((p) => (isScalar(p.key) ? String(p.key.value) : ''));
}
