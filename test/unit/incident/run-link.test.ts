import { describe, expect, it } from 'vitest';
import { readsIncident } from '../../../src/incident/run-link';
import { graphOf } from '../checklist/graph';

const graph = (text: string) => graphOf([{ id: 'a', kind: 'shell', input: { script: text } }]);

describe('readsIncident (F42)', () => {
  it('finds the `incident` root inside an expression', () => {
    expect(readsIncident(graph('echo ${{ incident.id }}'))).toBe(true);
    expect(readsIncident(graph('echo ${{ params.x != "" ? params.x : "inc-" + incident["id"] }}'))).toBe(true);
  });
  it('ignores other names that contain the word and text outside expressions', () => {
    expect(readsIncident(graph('echo ${{ steps.incident.outputs.count }} ${{ params.incidents }} ${{ params.incident_id }}'))).toBe(false);
    expect(readsIncident(graph('echo incident.id is not an expression'))).toBe(false);
  });
});
