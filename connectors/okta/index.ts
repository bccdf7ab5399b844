import type { ConnectorInstanceConfig, ConnectorModule } from '../../src/tools/connector.js';
import type { ToolDefinition } from '../../src/tools/tool.js';
import { requestAppAccessTool, requestGroupMembershipTool } from './actions/access.js';
import type { OktaToolDeps } from './actions/common.js';
import { resetMyMfaTool, resetMyPasswordTool, unlockMyAccountTool } from './actions/lifecycle.js';
import { listMyAppsTool, listMyGroupsTool } from './actions/listMine.js';
import { getMyProfileTool } from './actions/profile.js';
import { leaveGroupTool } from './actions/leaveGroup.js';
import { listRequestableTool } from './actions/listRequestable.js';
import { oktaOAuth } from './oauth.js';

export { createOktaOAuth, oktaOAuth, DEFAULT_OKTA_SCOPES } from './oauth.js';
export { OktaClient, type OktaClientOptions, type OktaRequest, type OktaResponse, type OktaAuth } from './client.js';
export * from './errors.js';

/** The Okta tools for one configured instance; `fetch` is for benchmarks and proxies. */
export function oktaTools(config: ConnectorInstanceConfig, options: { fetch?: typeof fetch } = {}): readonly ToolDefinition[] {
  const deps: OktaToolDeps = { config, ...options };
  const tools = [
    getMyProfileTool(deps),
    listMyGroupsTool(deps),
    listMyAppsTool(deps),
    resetMyPasswordTool(deps),
    unlockMyAccountTool(deps),
    resetMyMfaTool(deps),
    requestGroupMembershipTool(deps),
    requestAppAccessTool(deps),
    leaveGroupTool(deps),
    listRequestableTool(deps),
  ];
  // Each definition is typed by its own input/output; the registry deals in the erased form.
  return tools as unknown as readonly ToolDefinition[];
}

export const oktaConnector: ConnectorModule = {
  kind: 'okta',
  displayName: 'Okta',
  oauth: oktaOAuth,
  tools: (config) => oktaTools(config),
};
