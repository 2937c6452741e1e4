import { describe, expect, it } from 'vitest';
import { environmentNamed } from '../../../src/config/environment';
import { defaultConfig } from '../../../src/config/load';
import type { Config } from '../../../src/config/model';
import { OpsctlError } from '../../../src/util/errors';

const config: Config = {
  ...defaultConfig('/project'),
  path: '/project/opsctl.yaml',
  environments: { staging: { name: 'staging', protected: false, vars: {} }, production: { name: 'production', protected: true, vars: {} } },
};

function refusal(name: string, from: Config = config): { message: string; hint?: string; exitCode: number } {
  try {
    environmentNamed(from, name);
  } catch (error) {
    if (error instanceof OpsctlError) return { message: error.message, exitCode: error.exitCode, ...(error.hint ? { hint: error.hint } : {}) };
    throw error;
  }
  throw new Error(`--env ${name} was accepted`);
}

describe('--env NAME', () => {
  it('gives the environment opsctl.yaml declares', () => {
    expect(environmentNamed(config, 'production').protected).toBe(true);
  });

  it('refuses an unknown name with exit 2, listing the known ones (and the close one)', () => {
    expect(refusal('nope')).toEqual({ message: '--env nope: there is no environment `nope` in /project/opsctl.yaml', hint: 'known environments: staging, production', exitCode: 2 });
    expect(refusal('prod').hint).toBe('did you mean `production`? known environments: staging, production');
    expect(refusal('prod', defaultConfig('/project'))).toEqual({ message: '--env prod: there is no environment `prod` in opsctl.yaml (none found)', hint: 'declare it under `environments:` in opsctl.yaml', exitCode: 2 });
  });
});
