import type { Diagnostic, SourceRange } from '../runbook/diagnostics';

/** `opsctl.yaml`, checked and normalized. Strings may hold `${{ env.X }}` expressions. */
export interface Config {
  /** Absolute path of opsctl.yaml, or undefined when none was found (defaults apply). */
  readonly path?: string;
  /** The folder that holds opsctl.yaml, else the working directory: `.opsctl/` lives here. */
  readonly root: string;
  /** Absolute runbook folders from config, in order; the shipped `runbooks/` is appended last. */
  readonly runbookPaths: readonly string[];
  readonly state: StateConfig;
  readonly environments: Readonly<Record<string, EnvironmentConfig>>;
  readonly databases: Readonly<Record<string, DatabaseConfig>>;
  readonly incidents: IncidentPolicyConfig;
  readonly notify: { readonly webhook?: string };
  /** Problems that do not stop opsctl (a `runbooks:` folder that does not exist), at their line:col in opsctl.yaml. */
  readonly warnings?: readonly Diagnostic[];
}

export type StateConfig = { readonly backend: 'file'; readonly dir?: string } | { readonly backend: 'postgres'; readonly url: string };

export interface EnvironmentConfig {
  readonly name: string;
  readonly protected: boolean;
  readonly aws?: { readonly region?: string; readonly profile?: string };
  readonly vars: Readonly<Record<string, unknown>>;
  readonly range?: SourceRange;
}

export interface DatabaseConfig {
  readonly name: string;
  readonly url: string;
}

export type SeverityName = 'P1' | 'P2' | 'P3' | 'P4';

export interface SeverityPolicy {
  readonly respondMs: number;
  readonly resolveMs: number;
  readonly runbook?: string;
  /** Where opsctl.yaml names `runbook` (absent for the defaults), for validate's messages. */
  readonly runbookRange?: SourceRange;
}

export interface IncidentPolicyConfig {
  readonly severities: Readonly<Record<SeverityName, SeverityPolicy>>;
  /** Escalation levels by time since the incident started, ascending. */
  readonly escalation: readonly { readonly afterMs: number; readonly to: string }[];
}
