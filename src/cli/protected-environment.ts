import type { AdapterRegistry } from '../adapters/types';
import type { EnvironmentConfig } from '../config/model';
import { planRun } from '../engine/plan';
import type { StepGraph } from '../runbook/model';
import type { Approval } from '../state/store';
import type { Prompter } from '../ui/prompter';
import type { Clock } from '../util/clock';
import type { RunRequest } from './run-session';

export type ProtectedResult = { readonly type: 'passed'; readonly approval: Approval } | { readonly type: 'refused'; readonly message: string };

/**
 * A protected environment: on a terminal the person types its name; without one `--yes` passes it
 * only together with an explicit `--env NAME` (never through OPSCTL_ENV alone). Runs that change
 * nothing (every step a read) need neither.
 */
export async function passProtectedEnvironment(
  graph: StepGraph,
  registry: AdapterRegistry,
  environment: EnvironmentConfig,
  explicit: boolean,
  request: RunRequest,
  prompter: Prompter,
  user: string,
  clock: Clock,
): Promise<ProtectedResult> {
  const plan = planRun(graph, registry, { selection: { only: request.only ?? [], skip: request.skip ?? [], ...(request.from ? { from: request.from } : {}) } });
  const writes = plan.steps.some((step) => step.disposition.type === 'run' && step.effect === 'write');
  const step = `environment:${environment.name}`;
  const at = () => new Date(clock.now()).toISOString();
  if (!writes) return { type: 'passed', approval: { step, by: user, via: 'yes', at: at() } };
  if (prompter.interactive) {
    const answer = await prompter.input(`\`${environment.name}\` is a protected environment. Type its name to run \`${graph.runbook.name}\` against it:`, {
      validate: (value) => (value.trim() === environment.name ? true : `type \`${environment.name}\` exactly, or press Ctrl-C to stop`),
    });
    if (answer.type === 'answered' && answer.value.trim() === environment.name) return { type: 'passed', approval: { step, by: user, via: 'prompt', at: at() } };
    return { type: 'refused', message: `the protected environment \`${environment.name}\` was not confirmed; nothing was run` };
  }
  if (request.yes && explicit) return { type: 'passed', approval: { step, by: user, via: 'yes', at: at() } };
  return {
    type: 'refused',
    message: request.yes
      ? `\`${environment.name}\` is a protected environment: without a terminal, --yes passes it only together with an explicit --env ${environment.name}; nothing was run`
      : `\`${environment.name}\` is a protected environment and there is no terminal to confirm it; nothing was run. Pass --env ${environment.name} --yes to run it from CI`,
  };
}
