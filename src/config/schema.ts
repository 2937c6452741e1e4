import { s, type ObjectNode } from '../runbook/schema-dsl';

const severity = s.object({
  respond: s.duration('time to respond (acknowledge) the incident'),
  resolve: s.duration('time to resolve the incident'),
  runbook: s.string({ format: 'name', description: 'runbook run when an incident of this severity starts' }),
});

/** `opsctl.yaml` (DESIGN.md §7), in the same schema language as runbooks. */
export const configSchema: ObjectNode = s.object({
  runbooks: s.array(s.string(), { description: 'runbook folders, relative to opsctl.yaml; the shipped runbooks come last' }),
  state: s.object(
    {
      backend: s.enumOf(['file', 'postgres']),
      dir: s.string({ description: 'file backend: folder for the journal (default .opsctl beside opsctl.yaml)' }),
      url: s.string({ description: 'postgres backend: connection URL' }),
    },
    { required: ['backend'] },
  ),
  environments: s.map(
    s.object({
      protected: s.boolean('a person must type the environment name to confirm; mutating steps need a confirmation'),
      aws: s.object({ region: s.string(), profile: s.string() }),
      vars: s.map(s.any()),
    }),
    { keyPattern: '^[A-Za-z0-9_-]+$' },
  ),
  databases: s.map(s.object({ url: s.string() }, { required: ['url'] }), { keyPattern: '^[A-Za-z0-9_-]+$' }),
  incidents: s.object({
    severities: s.object({ P1: severity, P2: severity, P3: severity, P4: severity }),
    escalation: s.array(s.object({ after: s.duration(), to: s.string() }, { required: ['after', 'to'] })),
  }),
  notify: s.object({ webhook: s.string({ description: 'JSON webhook (Slack-compatible) for `notify` steps' }) }),
});
