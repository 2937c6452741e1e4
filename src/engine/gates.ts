import type { Approval } from '../state/store';
import type { RunContext } from './run-context';
import { stepPath } from './run-context';
import { errorMessage } from '../util/errors';
import { unreachable } from '../util/unreachable';

export type GateResult = { readonly type: 'approved'; readonly approval: Approval } | { readonly type: 'declined'; readonly reason: string };

/**
 * Passes one gate: through `--yes` / `--approve STEP`, else by asking the person (one prompt at a
 * time). Without a terminal it is declined; the up-front check normally stopped the run before.
 */
export async function passGate(rc: RunContext, stepId: string, message: string): Promise<GateResult> {
  const o = rc.options;
  const path = stepPath(rc, stepId);
  const now = () => new Date(o.clock.now()).toISOString();
  const approvals = o.approvals ?? { yes: false, approve: [] };
  const via = approvals.approve.includes(path) ? 'approve' : approvals.yes ? 'yes' : undefined;
  if (via) {
    const approval = { step: path, by: o.user, via, at: now() } as const;
    rc.emit({ type: 'step.confirmed', step: stepId, by: o.user, via });
    rc.approvals.push(approval);
    return { type: 'approved', approval };
  }
  rc.emit({ type: 'step.awaiting-confirmation', step: stepId, message });
  const previous = rc.promptChain;
  let release: () => void = () => undefined;
  rc.promptChain = new Promise<void>((resolve) => (release = resolve));
  await previous;
  try {
    if (rc.signal.aborted) return decline(rc, stepId, 'the run was cancelled');
    const answer = await o.prompter.confirm(message, { default: false, signal: rc.signal });
    switch (answer.type) {
      case 'answered':
        if (!answer.value) return decline(rc, stepId, 'declined at the prompt');
        {
          const approval = { step: path, by: o.user, via: 'prompt', at: now() } as const;
          rc.emit({ type: 'step.confirmed', step: stepId, by: o.user, via: 'prompt' });
          rc.approvals.push(approval);
          return { type: 'approved', approval };
        }
      case 'cancelled':
        // SIGTERM / an external SIGINT closes the open prompt: nobody answered, the run stops.
        return decline(rc, stepId, rc.signal.aborted ? `the run was stopped (${errorMessage(rc.signal.reason)}) while it waited at the prompt` : 'the prompt was cancelled');
      case 'no-terminal':
        return decline(rc, stepId, `no terminal to ask; pass --approve ${path} or --yes`);
      default:
        return unreachable(answer);
    }
  } finally {
    release();
  }
}

function decline(rc: RunContext, stepId: string, reason: string): GateResult {
  rc.emit({ type: 'step.declined', step: stepId, by: rc.options.user, reason });
  return { type: 'declined', reason };
}
