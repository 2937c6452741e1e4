import { isAbsolute, join, resolve } from 'node:path';
import type { Config } from '../config/model';
import type { StateStore } from './store';
import { unreachable } from '../util/unreachable';

/** The folder of the file backend: `state.dir` from opsctl.yaml, else `.opsctl/` beside it. */
export function stateDir(config: Config): string {
  if (config.state.backend === 'file' && config.state.dir) {
    return isAbsolute(config.state.dir) ? config.state.dir : resolve(config.root, config.state.dir);
  }
  return join(config.root, '.opsctl');
}

/** Opens the configured backend; each is imported only when chosen. */
export async function openStore(config: Config): Promise<StateStore> {
  const state = config.state;
  switch (state.backend) {
    case 'file': {
      const { FileStore } = await import('./file-store');
      return new FileStore({ dir: stateDir(config) });
    }
    case 'postgres': {
      const { PostgresStore } = await import('./postgres-store');
      return PostgresStore.open({ url: state.url });
    }
    default:
      return unreachable(state);
  }
}
