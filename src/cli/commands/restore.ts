import { toRequest, type RunFlags } from '../run-flags';
import { runSession } from '../run-session';

/** `opsctl restore [--backup ID]` = `opsctl run restore -p backup=ID`. */
export default async function restore(flags: RunFlags & { readonly backup?: string }): Promise<void> {
  const params = [...(flags.param ?? []), ...(flags.backup !== undefined ? [`backup=${flags.backup}`] : [])];
  await runSession(toRequest('restore', { ...flags, param: params }));
}
