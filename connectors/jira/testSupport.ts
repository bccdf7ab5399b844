import type { ConnectorInstanceConfig, TokenSet } from '../../src/tools/connector.js';
import type { ToolDefinition } from '../../src/tools/tool.js';
import { linkThroughSandbox } from '../shared/testing/linkAccount.js';
import { toolByName } from '../shared/testing/runTool.js';
import { RefreshingTestCredentials } from '../shared/testing/testCredentials.js';
import { jiraConnector } from './index.js';
import { JIRA_DEFAULT_SCOPES, jiraOAuth } from './oauth.js';

/** Test helpers for the Jira connector: real OAuth against the sandbox, a real credential accessor, tool contexts. */
export { capturingLogger as captureLogger } from '../shared/testing/capturingLogger.js';
export { rejectionOf, runTool, summaryOf } from '../shared/testing/runTool.js';
export { toolContext } from '../shared/testing/toolContext.js';

export const REDIRECT_URI = 'http://127.0.0.1:3000/oauth/callback/jira';

export function jiraConfig(sandboxUrl: string, overrides: Partial<ConnectorInstanceConfig> = {}): ConnectorInstanceConfig {
  return {
    id: 'jira', kind: 'jira', displayName: 'Jira', baseUrl: sandboxUrl, authBaseUrl: sandboxUrl,
    oauth: { clientId: 'switchboard', clientSecret: 'sandbox-client-secret', scopes: [...JIRA_DEFAULT_SCOPES], redirectUri: REDIRECT_URI },
    options: {},
    ...overrides,
  };
}

/** The browser leg of 3LO: open the authorize URL with login_hint, follow nothing, read code and state from the redirect. */
export function linkAccount(config: ConnectorInstanceConfig, email: string): Promise<TokenSet> {
  return linkThroughSandbox(jiraOAuth, config, email);
}

/** Refreshes ahead of expiry (on `now`, which tests may run ahead) or after invalidate; Jira has no service credential. */
export class TestCredentials extends RefreshingTestCredentials {
  constructor(config: ConnectorInstanceConfig, tokens: TokenSet, now: () => number = Date.now) {
    super(config, tokens, { oauth: jiraOAuth, now });
  }

  get refreshCount(): number {
    return this.refreshes;
  }
}

export function jiraTool(config: ConnectorInstanceConfig, name: string): ToolDefinition {
  return toolByName(jiraConnector.tools(config), name, 'jira');
}
