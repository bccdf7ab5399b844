import type { ConnectorInstanceConfig, OAuthProvider, TokenSet } from '../../src/tools/connector.js';
import type { ToolDefinition } from '../../src/tools/tool.js';
import { linkThroughSandbox } from '../shared/testing/linkAccount.js';
import { toolByName as findTool } from '../shared/testing/runTool.js';
import { RefreshingTestCredentials } from '../shared/testing/testCredentials.js';
import { salesforceOAuth } from './oauth.js';
import type { SalesforceSandbox } from './sandbox/index.js';

/**
 * Test helpers for the Salesforce connector: link an account through the real OAuth redirect, keep
 * the tokens in a CredentialAccessor that refreshes after `invalidate()` like the production one, and
 * build ToolContexts.
 */
export { capturingLogger } from '../shared/testing/capturingLogger.js';
export { runTool, summaryOf } from '../shared/testing/runTool.js';
export { actingUser, toolContext } from '../shared/testing/toolContext.js';

export const TEST_SCOPES = ['api', 'refresh_token', 'openid'];

export function salesforceTestConfig(sandbox: SalesforceSandbox, overrides: Partial<ConnectorInstanceConfig> = {}): ConnectorInstanceConfig {
  return {
    id: 'salesforce',
    kind: 'salesforce',
    displayName: 'Salesforce',
    baseUrl: sandbox.url,
    oauth: { clientId: 'switchboard', clientSecret: 'sandbox-secret', scopes: TEST_SCOPES, redirectUri: 'http://127.0.0.1:3000/oauth/callback/salesforce' },
    options: { timeoutMs: '2000', maxAttempts: '6', deadlineMs: '8000' },
    ...overrides,
  };
}

/** authorize (login_hint consent) → callback → exchangeCode, as the HTTP app does. */
export function linkAccount(config: ConnectorInstanceConfig, email: string, oauth: OAuthProvider = salesforceOAuth): Promise<TokenSet> {
  return linkThroughSandbox(oauth, config, email);
}

/** Holds one employee's tokens; refreshes once after the client reports a rejected session. Salesforce has no service path. */
export class TestCredentials extends RefreshingTestCredentials {
  constructor(config: ConnectorInstanceConfig, tokens: TokenSet, oauth: OAuthProvider = salesforceOAuth) {
    super(config, tokens, { oauth });
  }
}

/** Credentials straight from `sandbox.issueTokenFor`, for tests that do not exercise OAuth. */
export function issuedCredentials(sandbox: SalesforceSandbox, config: ConnectorInstanceConfig, email: string): TestCredentials {
  const issued = sandbox.issueTokenFor(email, config.oauth.clientId, config.oauth.clientSecret);
  return new TestCredentials(config, {
    accessToken: issued.accessToken, refreshToken: issued.refreshToken, scopes: ['api', 'refresh_token', 'openid'],
    externalUserId: issued.userId, metadata: { instance_url: issued.instanceUrl, user_id: issued.userId },
  });
}

export function toolByName(tools: readonly ToolDefinition[], name: string): ToolDefinition {
  return findTool(tools, name, 'salesforce');
}
