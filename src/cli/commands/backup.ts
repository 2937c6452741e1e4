import { toRequest, type RunFlags } from '../run-flags';
import { runSession } from '../run-session';

/** `opsctl backup` = `opsctl run backup`: the runbook named `backup` from the search path. */
export default async function backup(flags: RunFlags): Promise<void> {
  await runSession(toRequest('backup', flags));
}
