import type { ConnectorModule } from '../../src/tools/connector.js';
import type { ToolDefinition } from '../../src/tools/tool.js';
import { addCommentTool } from './actions/addComment.js';
import { assignIssueTool } from './actions/assignIssue.js';
import { createIssueTool } from './actions/createIssue.js';
import { readTools } from './actions/reads.js';
import { transitionIssueTool } from './actions/transitionIssue.js';
import { editIssueTool } from './actions/editIssue.js';
import { listTransitionsTool } from './actions/listTransitions.js';
import { watchIssueTool } from './actions/watchIssue.js';
import { jiraOAuth } from './oauth.js';

export const jiraConnector: ConnectorModule = {
  kind: 'jira',
  displayName: 'Jira',
  oauth: jiraOAuth,
  tools: (config) => [
    ...readTools(config),
    createIssueTool(config),
    addCommentTool(config),
    transitionIssueTool(config),
    assignIssueTool(config),
    editIssueTool(config),
    listTransitionsTool(config),
    watchIssueTool(config),
  ] as ToolDefinition[],
};

export { jiraOAuth, JIRA_DEFAULT_SCOPES } from './oauth.js';
export { JiraClient, type JiraClientOptions } from './client.js';
export { JiraApi } from './api.js';
export { JiraApiError, JiraRateLimitError, JiraTimeoutError, JiraActionError, JiraNetworkError, JiraResponseError } from './errors.js';
