import { toRequest, type RunFlags } from '../run-flags';
import { runSession } from '../run-session';

/** `opsctl run <runbook|file>`. */
export default async function run(target: string, flags: RunFlags): Promise<void> {
  await runSession(toRequest(target, flags));
}
