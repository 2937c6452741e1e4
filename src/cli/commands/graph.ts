import { createRegistry } from '../../adapters/registry';
import { loadConfig } from '../../config/load';
import { loadRunbook } from '../../runbook/load';
import { formatDiagnostics } from '../../runbook/print-diagnostics';
import { GRAPH_FORMATS, renderAscii, renderDot, renderMermaid, type GraphFormat } from '../../runbook/render-graph';
import { DiagnosticsError, usageError } from '../../util/errors';
import { unreachable } from '../../util/unreachable';

/** `opsctl graph RUNBOOK --format ascii|mermaid|dot`. */
export default async function graph(target: string, options: { format?: string }): Promise<void> {
  const format = (options.format ?? 'ascii') as GraphFormat;
  if (!GRAPH_FORMATS.includes(format)) throw usageError(`unknown graph format \`${options.format}\``, `use --format ${GRAPH_FORMATS.join(', --format ')}`);
  const config = await loadConfig();
  const loaded = await loadRunbook(target, { registry: createRegistry(), config });
  if (!loaded.ok) throw new DiagnosticsError(`runbook \`${target}\` is not valid`, loaded.diagnostics);
  if (loaded.diagnostics.length) process.stderr.write(`${formatDiagnostics(loaded.diagnostics, { color: false })}\n\n`);
  process.stdout.write(render(format, loaded.graph));
}

function render(format: GraphFormat, graph: Parameters<typeof renderAscii>[0]): string {
  switch (format) {
    case 'ascii':
      return renderAscii(graph);
    case 'mermaid':
      return renderMermaid(graph);
    case 'dot':
      return renderDot(graph);
    default:
      return unreachable(format);
  }
}
