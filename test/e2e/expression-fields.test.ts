import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runOpsctl, tempProject } from './helpers';

const HEAD = 'apiVersion: opsctl/v1\nkind: Runbook\nname: NAME\nparams:\n  d: { default: 10ms }\nsteps:\n';

describe('a field given as an expression', () => {
  let project: ReturnType<typeof tempProject>;
  beforeAll(() => {
    project = tempProject({
      'opsctl.yaml': 'runbooks: [./runbooks]\n',
      'runbooks/pause.yaml': `${HEAD.replace('NAME', 'pause')}  - id: pause\n    wait: \${{ params.d }}\n`,
      'runbooks/timed.yaml': `${HEAD.replace('NAME', 'timed')}  - id: work\n    shell: sleep 0\n    timeout: \${{ params.d }}\n`,
    });
  });
  afterAll(() => project.cleanup());

  it('in an action input is evaluated when the step runs (wait: ${{ params.d }})', async () => {
    const result = await runOpsctl(['run', 'pause', '-p', 'd=20ms', '--output', 'json'], { cwd: project.dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('"waited_ms"');
  });

  it('in a field the loader reads (timeout) is refused before anything runs, with its line:col', async () => {
    const validated = await runOpsctl(['validate', 'timed'], { cwd: project.dir });
    expect(validated.code).toBe(2);
    expect(validated.stderr).toContain('runbooks/timed.yaml:9:14: error: `steps[0].timeout` must be a duration like `30s`; expressions are not allowed here [expression-not-allowed]');
    const run = await runOpsctl(['run', 'timed'], { cwd: project.dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('expressions are not allowed here');
  });
});
