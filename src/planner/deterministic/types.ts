import type { JsonObject } from '../../core/json.js';

export type ConnectorKindName = 'servicenow' | 'jira' | 'salesforce' | 'okta';

/** What slot extraction may use besides the text itself. */
export interface SlotEnv {
  /** Lower-case team/project words → Jira project key ("network" → "NET"). */
  readonly projectAliases: Readonly<Record<string, string>>;
  /** Long-term user facts, e.g. { "jira.defaultProject": "NET" }. */
  readonly facts: Readonly<Record<string, string>>;
  /** The description found in a sibling clause of a compound request ("…VPN drops and file a bug…"). */
  readonly siblingSubject?: string;
}

export type SlotResult = { readonly args: JsonObject; readonly title: string } | { readonly missing: string };

/** One everyday request the deterministic tier understands without a model. */
export interface Intent {
  readonly id: string;
  readonly connector: ConnectorKindName;
  /** Local tool name as in docs/tools.md (the registry prefixes the connector instance id). */
  readonly tool: string;
  detect(text: string): boolean;
  extract(text: string, env: SlotEnv): SlotResult;
  /** The subject a sibling clause may reuse (e.g. the incident's description). */
  subject?(text: string): string | undefined;
}
