import { ShellQuoteTracker } from '../../expr/shell-quotes';
import { scanTemplate } from '../../expr/template';
import type { Diagnostic } from '../diagnostics';
import type { Action } from '../model';
import { diagnostic, type Rule } from './types';

/**
 * A `${{ }}` in a script field (shell `run`) that sits in a quoted here-document (<<'EOF') would
 * reach bash as the literal text `${OPSCTL_V1}`: bash expands nothing there, and the run would fail
 * on it. Found here, at validate time, instead of mid-run. (Single quotes are fine: the value is
 * spliced in by closing and reopening the quote.)
 */
export const shellQuotesCheck: Rule = (ctx) => {
  const out: Diagnostic[] = [];
  for (const step of [...ctx.runbook.steps, ...ctx.runbook.finally]) {
    const path = ctx.stepPaths.get(step) ?? [];
    const actions: [Action, (string | number)[]][] = [[step.action, [...path, step.action.kind]]];
    if (typeof step.undo === 'object') actions.push([step.undo, [...path, 'undo', step.undo.kind]]);
    for (const [action, at] of actions) {
      for (const field of ctx.registry.get(action.kind)?.scriptFields ?? []) {
        const script = action.input[field];
        if (typeof script !== 'string' || !script.includes('${{')) continue;
        const literal = literalHeredocExpressions(script);
        if (literal.length === 0) continue;
        out.push(
          diagnostic(
            'error',
            'expression-in-quoted-heredoc',
            `\`\${{ ${literal[0]} }}\` sits in a quoted here-document (<<'EOF' or <<"EOF") of step \`${step.id}\`: bash expands nothing there, so the script would get the text \${OPSCTL_V1}, not the value`,
            ctx.locator.range(at),
            'unquote the delimiter (<<EOF) so the value is expanded, or pass it another way (an argument, a file)',
          ),
        );
      }
    }
  }
  return out;
};

/** The sources of the expressions of `script` that fall in a quoted here-document. */
export function literalHeredocExpressions(script: string): string[] {
  const scan = scanTemplate(script);
  if (!scan.ok) return [];
  const quotes = new ShellQuoteTracker();
  const found: string[] = [];
  for (const part of scan.parts) {
    if (part.kind === 'text') quotes.feed(part.text);
    else {
      if (quotes.context() === 'literal-heredoc') found.push(part.source);
      quotes.value();
    }
  }
  return found;
}
