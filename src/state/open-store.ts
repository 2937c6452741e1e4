import { isAbsolute, join, resolve } from 'node:path';
import type { Config } from '../config/model';
import type { StateStore } from './store';
import { ExitCode } from '../cli/exit-codes';
import { OpsctlError } from '../util/errors';
import { unreachable } from '../util/unreachable';

/** The folder of the file backend: `state.dir` from opsctl.yaml, else `.opsctl/` beside it. */
export function stateDir(config: Config): string {
  if (config.state.backend === 'file' && config.state.dir) {
    return isAbsolute(config.state.dir) ? config.state.dir : resolve(config.root, config.state.dir);
  }
  return join(config.root, '.opsctl');
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The escape hatch for a state database that is down when someone must act: `OPSCTL_STATE=file`
 * makes a postgres-configured opsctl use the local file backend. Returns what that means, for the
 * warning and the run record, or undefined when the configured backend is used.
 */
export function stateFallback(config: Config, env: Env = process.env): string | undefined {
  const wanted = env.OPSCTL_STATE?.trim();
  if (!wanted) return undefined;
  if (wanted !== 'file') {
    throw new OpsctlError(
      `OPSCTL_STATE must be \`file\`, got \`${wanted}\``,
      ExitCode.Usage,
      'OPSCTL_STATE=file uses the local file backend instead of the one in opsctl.yaml (when the state database is down); unset it to use opsctl.yaml',
    );
  }
  if (config.state.backend !== 'postgres') return undefined;
  return `OPSCTL_STATE=file: the local file backend in ${stateDir(config)} instead of the postgres state backend at ${hostOf(config.state.url)}`;
}

/** Opens the configured backend (or the file one under `OPSCTL_STATE=file`); each is imported only when chosen. */
export async function openStore(config: Config, env: Env = process.env, warn: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): Promise<StateStore> {
  const fallback = stateFallback(config, env);
  if (fallback) {
    warn(`warning: ${fallback}: no team-wide locks (another person's run of the same thing is not stopped), and what happens now is recorded on this machine only`);
    const { FileStore } = await import('./file-store');
    return new FileStore({ dir: stateDir(config) });
  }
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

function hostOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname || 'localhost'}:${parsed.port || '5432'}`;
  } catch {
    return 'the configured URL';
  }
}
