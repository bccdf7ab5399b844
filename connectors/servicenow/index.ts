import type { ConnectorInstanceConfig, ConnectorModule } from '../../src/tools/connector.js';
import type { ToolDefinition } from '../../src/tools/tool.js';
import { addCommentTool } from './actions/addComment.js';
import { searchCatalogTool } from './actions/catalog.js';
import type { ServiceNowToolDeps } from './actions/context.js';
import { createIncidentTool } from './actions/createIncident.js';
import { orderCatalogItemTool } from './actions/orderCatalogItem.js';
import { getIncidentTool, listMyIncidentsTool } from './actions/readIncidents.js';
import { resolveIncidentTool } from './actions/resolveIncident.js';
import { listMyRequestsTool } from './actions/listMyRequests.js';
import { reopenIncidentTool } from './actions/reopenIncident.js';
import { searchKnowledgeTool } from './actions/searchKnowledge.js';
import { updateIncidentTool } from './actions/updateIncident.js';
import { servicenowOAuth } from './oauth.js';

export { createServiceNowOAuth, servicenowOAuth, DEFAULT_SERVICENOW_SCOPES } from './oauth.js';
export { ServiceNowClient, type ServiceNowClientOptions, type ServiceNowRequest, type ServiceNowResponse } from './client.js';
export * from './errors.js';

/** The ServiceNow tools for one configured instance; `fetch` is for benchmarks and proxies. */
export function servicenowTools(config: ConnectorInstanceConfig, options: { fetch?: typeof fetch } = {}): readonly ToolDefinition[] {
  const deps: ServiceNowToolDeps = { config, ...options };
  const tools = [
    listMyIncidentsTool(deps),
    getIncidentTool(deps),
    createIncidentTool(deps),
    addCommentTool(deps),
    resolveIncidentTool(deps),
    searchCatalogTool(deps),
    orderCatalogItemTool(deps),
    updateIncidentTool(deps),
    reopenIncidentTool(deps),
    listMyRequestsTool(deps),
    searchKnowledgeTool(deps),
  ];
  // Each definition is typed by its own input/output; the registry deals in the erased form.
  return tools as unknown as readonly ToolDefinition[];
}

export const servicenowConnector: ConnectorModule = {
  kind: 'servicenow',
  displayName: 'ServiceNow',
  oauth: servicenowOAuth,
  tools: (config) => servicenowTools(config),
};
