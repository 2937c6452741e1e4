import { describe, expect, it } from 'vitest';
import { runOpsctl } from './helpers';

describe('the opsctl command', () => {
  it('--version prints the package version and exits 0', async () => {
    const { version } = (await import('../../package.json', { with: { type: 'json' } })).default;
    const r = await runOpsctl(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(version);
  });

  it('--help lists the commands and exits 0', async () => {
    const r = await runOpsctl(['--help']);
    expect(r.code).toBe(0);
    for (const command of ['run', 'plan', 'validate', 'incident', 'checklist', 'resume', 'lock']) expect(r.stdout).toContain(command);
  });

  it('a command group without its subcommand shows help and exits 2', async () => {
    const r = await runOpsctl(['incident']);
    expect(r.code).toBe(2);
    expect(r.stdout + r.stderr).toContain('Usage: opsctl incident');
  });

  it('an unknown command or flag exits 2 with a suggestion', async () => {
    const unknown = await runOpsctl(['valdate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('validate');
    const flag = await runOpsctl(['run', 'demo', '--dryrun']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('--dry-run');
  });
});
