import { toRequest, type RunFlags } from '../run-flags';
import { runSession } from '../run-session';

/** `opsctl plan <runbook>` = `run --dry-run`: checks run, changes are printed, nothing is asked. */
export default async function plan(target: string, flags: RunFlags): Promise<void> {
  await runSession(toRequest(target, flags, { dryRun: true }));
}
