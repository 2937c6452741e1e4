import { describe, expect, it } from 'vitest';
import type { StepGraph } from '../../../src/runbook/model';
import { renderAscii, renderDot, renderMermaid, stages } from '../../../src/runbook/render-graph';
import { compileText, HEADER } from './helpers';

const TEXT = `${HEADER}title: Ship it
steps:
  - { id: build, shell: make }
  - { id: ask, confirm: Ship? }
  - { id: ship, confirm: "Really ship?", shell: ./ship.sh }
  - { id: tell, needs: [], notify: hi }
  - { id: dns, needs: [ship, tell], when: params.x == "a", shell: x }
finally:
  - { id: summary, notify: done }
`;

function graph(): StepGraph {
  const result = compileText(TEXT.replace('title: Ship it', 'title: Ship it\nparams:\n  x: { default: a }'));
  if (!result.ok) throw new Error(JSON.stringify(result.diagnostics));
  return result.graph;
}

describe('graph pictures', () => {
  it('computes stages from needs', () => {
    expect(Object.fromEntries(stages(graph()))).toEqual({ build: 1, ask: 2, ship: 3, tell: 1, dns: 4 });
  });

  it('draws ascii with needs, gates, conditions and finally', () => {
    expect(renderAscii(graph())).toBe(
      [
        't: Ship it',
        'on failure: abort',
        '',
        '  1 ● build    shell    (starts at once)',
        '  2 ● ask      confirm  ← build',
        '               ◆ confirm: Ship?',
        '  3 ● ship     shell    ← ask',
        '               ◆ confirm: Really ship?',
        '  1 ● tell     notify   (starts at once)',
        '  4 ● dns      shell    ← ship, tell',
        '               ? when: params.x == "a"',
        '',
        'finally (always, in order):',
        '    ■ summary  notify',
        '',
        'stage numbers: steps in the same stage can run in parallel; ← needs; ◆ confirmation gate; ? condition',
        '',
      ].join('\n'),
    );
  });

  it('draws mermaid with a gate node, dashed conditional edges and a finally subgraph', () => {
    const text = renderMermaid(graph());
    expect(text.split('\n')).toEqual([
      'flowchart TD',
      '  %% t: Ship it',
      '  s_build["<b>build</b><br/>shell"]',
      '  s_ask{{"<b>ask</b><br/>confirm"}}',
      '  s_build --> s_ask',
      '  s_ship["<b>ship</b><br/>shell"]',
      '  s_ship_gate{{"confirm: Really ship?"}}',
      '  s_ship_gate --> s_ship',
      '  s_ask --> s_ship_gate',
      '  s_tell["<b>tell</b><br/>notify"]',
      '  s_dns["<b>dns</b><br/>shell<br/>when: params.x == #quot;a#quot;"]',
      '  s_ship -.-> s_dns',
      '  s_tell -.-> s_dns',
      '  subgraph finally["finally (always, in order)"]',
      '    s_summary["<b>summary</b><br/>notify"]',
      '  end',
      '',
    ]);
  });

  it('draws dot with escaped labels', () => {
    const text = renderDot(graph());
    expect(text).toContain('  "ship:confirm" [label="confirm: Really ship?", shape=hexagon];\n  "ship:confirm" -> "ship";\n  "ask" -> "ship:confirm";');
    expect(text).toContain('  "dns" [label="dns\\nshell\\nwhen: params.x == \\"a\\"", style=dashed];');
    expect(text).toContain('  subgraph cluster_finally {');
    expect(text.startsWith('digraph "t" {')).toBe(true);
    expect(text.endsWith('}\n')).toBe(true);
  });
});
