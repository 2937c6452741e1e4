/**
 * The postgres backend's schema, as numbered migrations. A migration is never edited once
 * released: changes are new entries. Payloads are JSON kept as text (not jsonb) so that every
 * string comes back exactly as written, NUL characters and key order included.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  /** Statements run in one transaction; `S` is the quoted schema name. */
  readonly statements: (S: string) => readonly string[];
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'runs, events, incidents, timeline, locks',
    statements: (S) => [
      `CREATE TABLE ${S}.opsctl_runs (
         id text COLLATE "C" PRIMARY KEY,
         runbook text COLLATE "C" NOT NULL,
         started_at text COLLATE "C" NOT NULL,
         record text NOT NULL
       )`,
      `CREATE INDEX opsctl_runs_newest ON ${S}.opsctl_runs (started_at DESC, id DESC)`,
      `CREATE INDEX opsctl_runs_by_runbook ON ${S}.opsctl_runs (runbook, started_at DESC, id DESC)`,
      `CREATE TABLE ${S}.opsctl_events (
         id bigserial PRIMARY KEY,
         run_id text COLLATE "C" NOT NULL,
         seq integer NOT NULL,
         event text NOT NULL,
         appended_at timestamptz NOT NULL DEFAULT now()
       )`,
      `CREATE INDEX opsctl_events_by_run ON ${S}.opsctl_events (run_id, id)`,
      `CREATE TABLE ${S}.opsctl_incidents (
         id text COLLATE "C" PRIMARY KEY,
         status text NOT NULL,
         started_at text COLLATE "C" NOT NULL,
         record text NOT NULL
       )`,
      `CREATE TABLE ${S}.opsctl_incident_entries (
         id bigserial PRIMARY KEY,
         incident_id text COLLATE "C" NOT NULL,
         entry text NOT NULL
       )`,
      `CREATE INDEX opsctl_incident_entries_by_incident ON ${S}.opsctl_incident_entries (incident_id, id)`,
      // The journal is evidence: rows are appended, never changed.
      `CREATE FUNCTION ${S}.opsctl_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN RAISE EXCEPTION 'opsctl: % is append-only', TG_TABLE_NAME; END
       $$`,
      `CREATE TRIGGER opsctl_events_append_only BEFORE UPDATE OR DELETE ON ${S}.opsctl_events
         FOR EACH ROW EXECUTE FUNCTION ${S}.opsctl_append_only()`,
      `CREATE TRIGGER opsctl_incident_entries_append_only BEFORE UPDATE OR DELETE ON ${S}.opsctl_incident_entries
         FOR EACH ROW EXECUTE FUNCTION ${S}.opsctl_append_only()`,
      // Who holds a lock. The lock itself is the advisory lock `lock_id`, held by the session
      // `backend_pid`; a row whose session is gone is stale and replaced by the next holder.
      `CREATE TABLE ${S}.opsctl_locks (
         key text COLLATE "C" PRIMARY KEY,
         lock_id bigint NOT NULL,
         run_id text NOT NULL,
         backend_pid integer NOT NULL,
         holder text NOT NULL
       )`,
    ],
  },
];
