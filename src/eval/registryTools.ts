import { CONNECTOR_MODULES } from '../app/connectorModules.js';
import { tenantSchema } from '../config/tenantConfig.js';
import { buildToolRegistry } from '../tools/registry.js';
import type { ConnectorInstanceConfig, ConnectorKind } from '../tools/connector.js';
import type { ToolSummary } from '../planner/planner.js';
import type { SlotEnv } from '../planner/deterministic/types.js';

const KINDS: readonly ConnectorKind[] = ['servicenow', 'jira', 'salesforce', 'okta'];

/** The tools a tenant with the four product connectors exposes, exactly as the registry builds them. */
export function productToolSummaries(): readonly ToolSummary[] {
  const tenant = tenantSchema.parse({ id: 'eval', name: 'Eval', connectors: KINDS.map((kind) => ({ id: kind, kind, baseUrl: 'sandbox' })) });
  const connectors: ConnectorInstanceConfig[] = KINDS.map((kind) => ({
    id: kind, kind, displayName: kind, baseUrl: 'http://sandbox.invalid', options: {},
    oauth: { clientId: 'eval', clientSecret: 'eval', scopes: [], redirectUri: 'http://sandbox.invalid/callback' },
  }));
  return buildToolRegistry({ tenant, connectors, modules: CONNECTOR_MODULES }).summaries();
}

/** The demo organisation's Jira project words, as a sandbox tenant gets them. */
export const EVAL_SLOT_ENV: SlotEnv = { projectAliases: { network: 'NET', 'help desk': 'HELP', helpdesk: 'HELP', finance: 'FIN' }, facts: {} };
