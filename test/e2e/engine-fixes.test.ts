import { afterEach, describe, expect, it } from 'vitest';
import { runOpsctl, tempProject } from './helpers';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
function project(files: Record<string, string>): string {
  const p = tempProject(files);
  cleanups.push(p.cleanup);
  return p.dir;
}
const ci = { CI: 'true' };
/** A runbook file: the header, then `lines`. */
const rb = (name: string, ...lines: string[]) => ['apiVersion: opsctl/v1', 'kind: Runbook', `name: ${name}`, ...lines, ''].join('\n');

describe('engine / run session fixes found by QA', () => {
  it('F6: ${{ }} inside single quotes reaches bash as the value the plan shows', async () => {
    const dir = project({
      'sq.yaml': rb(
        'sq',
        'params: { version: { type: string, default: "1.2.3" } }',
        'steps:',
        '  - id: a',
        '    shell: |',
        "      echo 'single ${{ params.version }}'",
        '      echo "double ${{ params.version }}"',
        "      echo 'dollar $$${{ params.version }}$$ done'",
      ),
    });
    const run = await runOpsctl(['run', './sq.yaml', '-o', 'plain'], { cwd: dir, env: ci });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('single 1.2.3');
    expect(run.stdout).toContain('double 1.2.3');
    expect(run.stdout).toContain('dollar $$1.2.3$$ done');
    expect(run.stdout).not.toContain('OPSCTL_V1');
  });
});
