import { UpdateServiceCommand } from '@aws-sdk/client-ecs';
import type { ActionContext, ActionImpl, PlanContext, PlanDescription, UndoAction } from '../../types';
import { formatDuration } from '../../../util/duration';
import { attempt, guarded, json, planReadProblem } from '../call';
import { int, type Input } from '../input';
import { success } from '../outcome';
import { ecsClient } from './client';
import { serviceTarget, waitSettings } from './input';
import { describeService, waitStable } from './service';
import { deferredPlan, hasUnknown, v } from '../unknown';

const parse = (input: Input) => ({ ...serviceTarget(input), desiredCount: int(input, 'desired_count', { min: 0 }) });

export const ecsScaleImpl: ActionImpl = {
  async plan(raw, ctx: PlanContext): Promise<PlanDescription> {
    if (hasUnknown(raw)) return deferredPlan(`ECS UpdateService: scale ${v(raw.cluster)}/${v(raw.service)} to ${v(raw.desired_count)}`, raw);
    try {
      const input = parse(raw);
      const summary = `ECS UpdateService: scale ${input.cluster}/${input.service} to ${input.desiredCount} task${input.desiredCount === 1 ? '' : 's'}`;
      const details = [`UpdateService ${json({ cluster: input.cluster, service: input.service, desiredCount: input.desiredCount })}`];
      if (input.wait) details.push(`then wait until running = ${input.desiredCount} (poll every ${formatDuration(input.intervalMs)}, at most ${formatDuration(input.maxWaitMs)})`);
      if (ctx.noChecks) return { summary, details };
      try {
        const service = await describeService(ecsClient(ctx), input.cluster, input.service, ctx);
        return { summary, details: [`now: desired ${service.desiredCount}, running ${service.runningCount} → desired ${input.desiredCount}`, ...details] };
      } catch (error) {
        return { summary, details: [planReadProblem(error, ctx), ...details] };
      }
    } catch (error) {
      return { summary: 'ECS UpdateService: scale', details: [planReadProblem(error, ctx)] };
    }
  },

  run: (raw, ctx: ActionContext) =>
    guarded('ecs.scale', ctx, async () => {
      const input = parse(raw);
      const client = ecsClient(ctx);
      const before = await describeService(client, input.cluster, input.service, ctx);
      const previous = before.desiredCount ?? 0;
      const updated = await attempt(`ECS UpdateService (cluster \`${input.cluster}\`, service \`${input.service}\`, desiredCount ${input.desiredCount})`, () =>
        client.send(new UpdateServiceCommand({ cluster: input.cluster, service: input.service, desiredCount: input.desiredCount }), { abortSignal: ctx.signal }),
      );
      ctx.progress(`desired count ${previous} → ${input.desiredCount}`);
      const undoFacts = { cluster: input.cluster, service: input.service, previous_desired_count: previous };
      const outputs = { desired_count: input.desiredCount, previous_desired_count: previous, running_count: updated.service?.runningCount, service_arn: updated.service?.serviceArn };
      if (!input.wait) return success(outputs, { result: updated.service, undoFacts });
      const stable = await waitStable(client, ctx, input);
      if (!stable.ok) return stable.outcome;
      return success({ ...outputs, running_count: stable.value.runningCount }, { result: stable.value, undoFacts });
    }),

  undo(raw, facts): UndoAction | undefined {
    const previous = facts.previous_desired_count;
    if (typeof previous !== 'number') return undefined;
    return { kind: 'ecs.scale', input: { cluster: facts.cluster ?? raw.cluster, service: facts.service ?? raw.service, desired_count: previous, ...waitSettings(raw) } };
  },
};
