import type { Step, StepGraph } from './model';

/**
 * Pictures of a step graph: `ascii` for a terminal, `mermaid` and `dot` for documents. Each
 * shows the `needs` edges, confirmation gates, `when` conditions and the `finally` steps.
 */
export type GraphFormat = 'ascii' | 'mermaid' | 'dot';
export const GRAPH_FORMATS: readonly GraphFormat[] = ['ascii', 'mermaid', 'dot'];

/** 1 for steps that need nothing, else one more than the latest step they need. */
export function stages(graph: StepGraph): Map<string, number> {
  const out = new Map<string, number>();
  for (const id of graph.order) {
    const step = graph.steps.get(id);
    out.set(id, 1 + Math.max(0, ...(step?.needs ?? []).map((n) => out.get(n) ?? 0)));
  }
  return out;
}

function mainSteps(graph: StepGraph): Step[] {
  return graph.order.map((id) => graph.steps.get(id)).filter((s): s is Step => s !== undefined);
}

function gate(step: Step): string | undefined {
  if (step.confirm !== undefined) return step.confirm;
  if (step.action.kind === 'confirm') return String(step.action.input.message ?? '');
  return undefined;
}

export function renderAscii(graph: StepGraph): string {
  const { runbook } = graph;
  const stage = stages(graph);
  const lines = [`${runbook.name}: ${runbook.title}`, `on failure: ${runbook.onFailure}${runbook.onFailure === 'rollback' ? ' (undo succeeded steps in reverse order)' : ''}`, ''];
  const steps = mainSteps(graph);
  const idWidth = Math.max(...[...steps, ...graph.finally].map((s) => s.id.length), 4);
  const kindWidth = Math.max(...[...steps, ...graph.finally].map((s) => s.action.kind.length), 6);
  const describe = (step: Step): string[] => {
    const notes: string[] = [];
    const g = gate(step);
    if (g !== undefined) notes.push(`  ◆ confirm: ${g}`);
    if (step.when !== undefined) notes.push(`  ? when: ${step.when}`);
    if (step.undo !== undefined) notes.push(`  ↶ undo: ${step.undo === 'auto' ? 'auto' : step.undo.kind}`);
    return notes;
  };
  for (const step of steps) {
    const s = stage.get(step.id) ?? 1;
    const marker = '●';
    const needs = step.needs.length ? `← ${step.needs.join(', ')}` : '(starts at once)';
    lines.push(`${String(s).padStart(3)} ${marker} ${step.id.padEnd(idWidth)}  ${step.action.kind.padEnd(kindWidth)}  ${needs}`);
    for (const note of describe(step)) lines.push(`${' '.repeat(6)}${' '.repeat(idWidth)}${note}`);
  }
  if (graph.finally.length) {
    lines.push('', 'finally (always, in order):');
    for (const step of graph.finally) {
      lines.push(`    ■ ${step.id.padEnd(idWidth)}  ${step.action.kind}`);
      for (const note of describe(step)) lines.push(`${' '.repeat(6)}${' '.repeat(idWidth)}${note}`);
    }
  }
  lines.push('', 'stage numbers: steps in the same stage can run in parallel; ← needs; ◆ confirmation gate; ? condition');
  return `${lines.join('\n')}\n`;
}

const mermaidText = (text: string) => text.replace(/&/g, '#amp;').replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');
const nodeId = (id: string) => `s_${id.replace(/[^A-Za-z0-9_]/g, '_')}`;

export function renderMermaid(graph: StepGraph): string {
  const lines = ['flowchart TD', `  %% ${graph.runbook.name}: ${mermaidText(graph.runbook.title)}`];
  const label = (step: Step) => {
    const parts = [`<b>${mermaidText(step.id)}</b>`, mermaidText(step.action.kind)];
    if (step.when !== undefined) parts.push(`when: ${mermaidText(step.when)}`);
    return parts.join('<br/>');
  };
  for (const step of mainSteps(graph)) {
    const g = gate(step);
    lines.push(step.action.kind === 'confirm' ? `  ${nodeId(step.id)}{{"${label(step)}"}}` : `  ${nodeId(step.id)}["${label(step)}"]`);
    const target = step.confirm !== undefined ? `${nodeId(step.id)}_gate` : nodeId(step.id);
    if (step.confirm !== undefined && g !== undefined) {
      lines.push(`  ${target}{{"confirm: ${mermaidText(g)}"}}`);
      lines.push(`  ${target} --> ${nodeId(step.id)}`);
    }
    const arrow = step.when !== undefined ? '-.->' : '-->';
    for (const need of step.needs) lines.push(`  ${nodeId(need)} ${arrow} ${target}`);
  }
  if (graph.finally.length) {
    lines.push('  subgraph finally["finally (always, in order)"]');
    graph.finally.forEach((step, i) => {
      lines.push(`    ${nodeId(step.id)}["${label(step)}"]`);
      const next = graph.finally[i + 1];
      if (next) lines.push(`    ${nodeId(step.id)} --> ${nodeId(next.id)}`);
    });
    lines.push('  end');
  }
  return `${lines.join('\n')}\n`;
}

const dotText = (text: string) => text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

export function renderDot(graph: StepGraph): string {
  const lines = [`digraph "${dotText(graph.runbook.name)}" {`, `  label="${dotText(`${graph.runbook.name}: ${graph.runbook.title}`)}";`, '  labelloc=t;', '  rankdir=TB;', '  node [shape=box, fontname="Helvetica"];'];
  const label = (step: Step) => dotText([step.id, step.action.kind, ...(step.when !== undefined ? [`when: ${step.when}`] : [])].join('\n'));
  for (const step of mainSteps(graph)) {
    const g = gate(step);
    const shape = step.action.kind === 'confirm' ? ', shape=hexagon' : '';
    const style = step.when !== undefined ? ', style=dashed' : '';
    lines.push(`  "${dotText(step.id)}" [label="${label(step)}"${shape}${style}];`);
    let target = `"${dotText(step.id)}"`;
    if (step.confirm !== undefined && g !== undefined) {
      const gateId = `"${dotText(step.id)}:confirm"`;
      lines.push(`  ${gateId} [label="${dotText(`confirm: ${g}`)}", shape=hexagon];`);
      lines.push(`  ${gateId} -> ${target};`);
      target = gateId;
    }
    for (const need of step.needs) lines.push(`  "${dotText(need)}" -> ${target}${step.when !== undefined ? ' [style=dashed]' : ''};`);
  }
  if (graph.finally.length) {
    lines.push('  subgraph cluster_finally {', '    label="finally (always, in order)";', '    style=dashed;');
    graph.finally.forEach((step, i) => {
      lines.push(`    "${dotText(step.id)}" [label="${label(step)}"];`);
      const next = graph.finally[i + 1];
      if (next) lines.push(`    "${dotText(step.id)}" -> "${dotText(next.id)}";`);
    });
    lines.push('  }');
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
