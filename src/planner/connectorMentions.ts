import type { ToolSummary } from './planner.js';

/** Words that point at one connector; "jira tickets" are Jira's, bare "tickets" ServiceNow's. */
const CONNECTOR_WORDS: Readonly<Record<string, RegExp>> = {
  servicenow: /\b(servicenow|snow|incidents?|(?<!jira\s)tickets?|INC\d{7}|catalog|service desk)\b/i,
  jira: /\b(jira|bugs?|stor(y|ies)|epics?|sprints?|backlog)\b/i,
  salesforce: /\b(salesforce|sfdc|(?<!(?:my|okta|my okta)\s)accounts?|opportunit(y|ies)|opps?|deals?|pipeline|cases?|customers?)\b/i,
  okta: /\b(okta|password|mfa|2fa|unlock|locked|groups?|app access|sso)\b/i,
};

/** Requests that need reasoning over results rather than one straightforward action. */
export const NEEDS_REASONING = /\b(compare|overlap|summari[sz]e|analy[sz]e|if it|if they|if there|if so|unless|depending on|for each|each of|why|explain|and then|after that)\b/i;

/** Connector kinds the text mentions, limited to what the tenant has (custom kinds by their own name). */
export function mentionedConnectors(request: string, tools: readonly ToolSummary[]): string[] {
  const kinds = new Set(tools.map((t) => t.connectorKind ?? t.name.split('_')[0] ?? ''));
  const found = new Set<string>();
  for (const [kind, re] of Object.entries(CONNECTOR_WORDS)) if (kinds.has(kind) && re.test(request)) found.add(kind);
  // Issue keys are upper-case by definition, so this one test is case-sensitive.
  if (kinds.has('jira') && /\b(?!INC\d)[A-Z][A-Z0-9]{1,9}-\d+\b/.test(request)) found.add('jira');
  for (const kind of kinds) if (kind && !(kind in CONNECTOR_WORDS) && new RegExp(`\\b${kind}\\b`, 'i').test(request)) found.add(kind);
  return [...found];
}
