import { isMap, isScalar, isSeq } from 'yaml';
import type { FailureReason } from '../../adapters/types';
import { didYouMean } from '../did-you-mean';
import type { Diagnostic } from '../diagnostics';
import { diagnostic, type Rule } from './types';

/** Failures the engine never retries, whatever `retry.on` says (a person said no, or the input is wrong). */
const NEVER_RETRIED: readonly FailureReason[] = ['cancelled', 'declined', 'invalid-input', 'manual-failed'];
const RETRIED: readonly FailureReason[] = ['exit-non-zero', 'timeout', 'expectation-failed', 'connection-error', 'http-error', 'aws-error', 'sql-error', 'runbook-failed', 'unknown-error'];
const WORDS: readonly string[] = ['any', ...RETRIED];

/**
 * `retry:` fields that would be ignored: `on`/`delay`/… with a single attempt, `on` words for
 * failures that are never retried, and an `on` word that is a near miss of a known one.
 * (Other words stay allowed: adapters report finer error kinds such as `ThrottlingException`.)
 */
function valueOf(map: unknown, key: string): unknown {
  return isMap(map) ? map.items.find((pair) => isScalar(pair.key) && pair.key.value === key)?.value : undefined;
}

export const retryCheck: Rule = (ctx) => {
  const out: Diagnostic[] = [];
  for (const [step, path] of ctx.stepPaths) {
    // Locator.node falls back to the parent when a key is missing: look the keys up directly.
    const node = valueOf(ctx.locator.node(path), 'retry');
    if (!isMap(node)) continue;
    const keys = node.items.map((pair) => (isScalar(pair.key) ? String(pair.key.value) : ''));
    const tuning = keys.filter((key) => key !== 'attempts');
    if (step.retry.attempts <= 1 && tuning.length > 0) {
      out.push(
        diagnostic('warning', 'retry-without-attempts', `step \`${step.id}\` has \`retry.${tuning[0]}\` but only 1 attempt, so it never retries`, ctx.locator.range([...path, 'retry'], 'key'), 'add `attempts: N` (total attempts, N > 1) to `retry`'),
      );
    }
    const on = valueOf(node, 'on');
    if (!isSeq(on)) continue;
    on.items.forEach((item, i) => {
      if (!isScalar(item) || typeof item.value !== 'string') return;
      const word = item.value;
      const at = ctx.locator.range([...path, 'retry', 'on', i]);
      if ((NEVER_RETRIED as readonly string[]).includes(word)) {
        out.push(diagnostic('warning', 'never-retried', `\`${word}\` in \`retry.on\` of step \`${step.id}\` has no effect: a step that is ${word === 'invalid-input' ? 'given invalid input' : word === 'manual-failed' ? 'marked failed by a person' : word} is never retried`, at));
        return;
      }
      const close = WORDS.includes(word) ? undefined : didYouMean(word, WORDS);
      if (close !== undefined) {
        out.push(diagnostic('warning', 'unknown-retry-on', `\`${word}\` in \`retry.on\` of step \`${step.id}\` matches no failure opsctl reports`, at, `did you mean \`${close}\`? (other words match an adapter's error kind, e.g. ThrottlingException)`));
      }
    });
  }
  return out;
};
