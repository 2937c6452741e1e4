import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runOpsctl, tempProject } from './helpers';

const RUNBOOK = `apiVersion: opsctl/v1
kind: Runbook
name: flow
title: A small flow
steps:
  - { id: build, shell: make }
  - { id: ship, confirm: Ship it?, shell: ./ship.sh }
  - { id: check, when: success(), http: "http://127.0.0.1:9/health" }
finally:
  - { id: tell, notify: done }
`;

describe('opsctl graph', () => {
  let project: ReturnType<typeof tempProject>;
  beforeAll(() => {
    project = tempProject({ 'opsctl.yaml': 'runbooks: [./runbooks]\n', 'runbooks/flow.yaml': RUNBOOK, 'runbooks/cycle.yaml': 'apiVersion: opsctl/v1\nkind: Runbook\nname: cycle\nsteps:\n  - { id: a, needs: [b], shell: a }\n  - { id: b, shell: b }\n' });
  });
  afterAll(() => project.cleanup());

  it('draws ascii by default, found by name through the search path', async () => {
    const result = await runOpsctl(['graph', 'flow'], { cwd: project.dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('flow: A small flow\n');
    expect(result.stdout).toMatch(/ 2 ● ship\s+shell\s+← build\n\s+◆ confirm: Ship it\?\n/);
    expect(result.stdout).toMatch(/ 3 ● check\s+http\s+← ship\n\s+\? when: success\(\)\n/);
    expect(result.stdout).toContain('finally (always, in order):\n    ■ tell   notify\n');
  });

  it('draws mermaid and dot', async () => {
    const mermaid = await runOpsctl(['graph', 'runbooks/flow.yaml', '--format', 'mermaid'], { cwd: project.dir });
    expect(mermaid.code).toBe(0);
    expect(mermaid.stdout).toContain('flowchart TD\n');
    expect(mermaid.stdout).toContain('  s_ship_gate{{"confirm: Ship it?"}}\n  s_ship_gate --> s_ship\n  s_build --> s_ship_gate\n');
    expect(mermaid.stdout).toContain('  s_ship -.-> s_check\n');
    const dot = await runOpsctl(['graph', 'flow', '--format', 'dot'], { cwd: project.dir });
    expect(dot.code).toBe(0);
    expect(dot.stdout).toContain('digraph "flow" {');
    expect(dot.stdout).toContain('"ship:confirm" -> "ship";');
  });

  it('exits 2 on an invalid runbook, an unknown name or format', async () => {
    const cycle = await runOpsctl(['graph', 'cycle'], { cwd: project.dir });
    expect(cycle.code).toBe(2);
    expect(cycle.stderr).toContain('error: `needs` form a cycle: a → b → a [cycle]');
    const unknown = await runOpsctl(['graph', 'flwo'], { cwd: project.dir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no runbook named `flwo` in the search path');
    expect(unknown.stderr).toContain('did you mean `flow`?');
    const format = await runOpsctl(['graph', 'flow', '--format', 'png'], { cwd: project.dir });
    expect(format.code).toBe(2);
    expect(format.stderr).toContain("argument 'png' is invalid");
  });
});
