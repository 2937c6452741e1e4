import type { Deployment, Service } from '@aws-sdk/client-ecs';
import type { PollCheck } from '../poll';

/**
 * Pure: is the service stable, still rolling out, or failed? When `deploymentId` is given the
 * verdict is about that deployment (the one we started), so a circuit-breaker rollback that makes
 * an older revision PRIMARY again is a failure, not "stable".
 */
export function judgeStability(service: Service, deploymentId?: string): PollCheck<Service> {
  const name = service.serviceName ?? 'service';
  if (service.status && service.status !== 'ACTIVE') {
    return failed(`ECS service \`${name}\` is ${service.status}, not ACTIVE`, service);
  }
  const deployments = service.deployments ?? [];
  const primary = deployments.find((d) => d.status === 'PRIMARY');
  const ours = deploymentId ? deployments.find((d) => d.id === deploymentId) : primary;
  if (!ours) {
    const now = primary ? `; deployment ${primary.id} (${shortTd(primary.taskDefinition)}) is PRIMARY now` : '';
    return failed(`ECS deployment ${deploymentId} of \`${name}\` is gone: another deployment replaced it${now}`, service);
  }
  if (ours.rolloutState === 'FAILED') {
    const rolledBack = primary && primary.id !== ours.id ? ` The deployment circuit breaker rolled the service back to ${shortTd(primary.taskDefinition)}.` : '';
    return failed(`ECS deployment ${ours.id} of \`${name}\` failed: ${(ours.rolloutStateReason ?? 'rollout FAILED').replace(/\.$/, '')}.${rolledBack}`, service);
  }
  if (deploymentId && ours.status !== 'PRIMARY' && primary) {
    return failed(`ECS deployment ${ours.id} of \`${name}\` is no longer PRIMARY: deployment ${primary.id} (${shortTd(primary.taskDefinition)}) replaced it (a circuit-breaker rollback or another deploy)`, service);
  }
  const rolloutDone = ours.rolloutState === undefined || ours.rolloutState === 'COMPLETED';
  const running = ours.runningCount ?? 0;
  const desired = ours.desiredCount ?? service.desiredCount ?? 0;
  if (deployments.length === 1 && rolloutDone && running === desired) return { state: 'done', value: service };
  return { state: 'pending', progress: describeProgress(ours, deployments) };
}

export function describeProgress(ours: Deployment, deployments: readonly Deployment[]): string {
  // A finished rollout that is only changing its count (a scale) is described by the count alone.
  const rollout = ours.rolloutState && ours.rolloutState !== 'COMPLETED' ? [`rollout ${ours.rolloutState}`] : [];
  const parts = [...rollout, `running ${ours.runningCount ?? 0}/${ours.desiredCount ?? 0}`];
  if (ours.pendingCount) parts.push(`pending ${ours.pendingCount}`);
  if (ours.failedTasks) parts.push(`failed tasks ${ours.failedTasks}`);
  const others = deployments.filter((d) => d !== ours);
  const draining = others.reduce((n, d) => n + (d.runningCount ?? 0), 0);
  if (others.length) parts.push(`${others.length} other deployment${others.length > 1 ? 's' : ''} still running ${draining}`);
  return parts.join(', ');
}

export const shortTd = (arn: string | undefined): string => (arn ? arn.replace(/^arn:[^:]*:ecs:[^:]*:[^:]*:task-definition\//, '') : 'unknown task definition');

/** The newest service events, which usually say why a rollout is stuck. */
export function recentEvents(service: Service, count = 3): string[] {
  return (service.events ?? []).slice(0, count).map((e) => e.message ?? '').filter(Boolean);
}

function failed(message: string, service: Service): PollCheck<Service> {
  const events = recentEvents(service);
  const tail = events.length ? `\nRecent service events:\n${events.map((e) => `  - ${e}`).join('\n')}` : '';
  return { state: 'failed', outcome: { type: 'failure', reason: 'aws-error', message: message + tail, errorKind: 'DeploymentFailed' } };
}
