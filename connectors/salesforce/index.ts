import type { ConnectorInstanceConfig, ConnectorModule } from '../../src/tools/connector.js';
import type { ToolDefinition } from '../../src/tools/tool.js';
import type { SalesforceToolDeps } from './actions/common.js';
import { createCaseTool } from './actions/createCase.js';
import { findAccountsTool, findCasesTool, findOpportunitiesTool } from './actions/find.js';
import { getRecordTool } from './actions/getRecord.js';
import { updateOpportunityStageTool } from './actions/updateOpportunityStage.js';
import { closeCaseTool } from './actions/closeCase.js';
import { commentOnCaseTool } from './actions/commentOnCase.js';
import { createOpportunityTool } from './actions/createOpportunity.js';
import { findContactsTool } from './actions/findContacts.js';
import { updateCaseTool } from './actions/updateCase.js';
import { salesforceOAuth } from './oauth.js';

export { createSalesforceOAuth, salesforceOAuth, identityOf, tokenSignature } from './oauth.js';
export { SalesforceClient, type SalesforceClientOptions, type SfRequest, type SfResponse } from './client.js';
export { buildSoql, quote, likePattern, type SoqlQuery, type SoqlCondition } from './soql.js';
export { API_VERSION, API_PREFIX, DEFAULT_SCOPES, IDEMPOTENCY_FIELD } from './constants.js';
export * from './errors.js';
export { SalesforceUnreachableError } from './unreachable.js';

/** The Salesforce tools for one configured instance; `fetch` is for benchmarks and proxies. */
export function salesforceTools(config: ConnectorInstanceConfig, options: { fetch?: typeof fetch } = {}): readonly ToolDefinition[] {
  const deps: SalesforceToolDeps = { config, ...options };
  const tools = [
    findAccountsTool(deps),
    findOpportunitiesTool(deps),
    findCasesTool(deps),
    getRecordTool(deps),
    createCaseTool(deps),
    updateOpportunityStageTool(deps),
    updateCaseTool(deps),
    commentOnCaseTool(deps),
    closeCaseTool(deps),
    createOpportunityTool(deps),
    findContactsTool(deps),
  ];
  // Each definition is typed by its own input/output; the registry deals in the erased form.
  return tools as unknown as readonly ToolDefinition[];
}

export const salesforceConnector: ConnectorModule = {
  kind: 'salesforce',
  displayName: 'Salesforce',
  oauth: salesforceOAuth,
  tools: (config) => salesforceTools(config),
};
