import { toRequest, type RunFlags } from '../run-flags';
import { runSession } from '../run-session';

/** `opsctl deploy` = `opsctl run deploy`: the runbook named `deploy` from the search path. */
export default async function deploy(flags: RunFlags): Promise<void> {
  await runSession(toRequest('deploy', flags));
}
