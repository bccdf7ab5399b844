import type { ConnectorInstanceConfig, OAuthProvider, TokenSet } from '../../src/tools/connector.js';
import type { LinkedCredential } from '../../src/tools/credentials.js';
import type { ToolDefinition } from '../../src/tools/tool.js';
import { linkThroughSandbox } from '../shared/testing/linkAccount.js';
import { toolByName as findTool } from '../shared/testing/runTool.js';
import { RefreshingTestCredentials } from '../shared/testing/testCredentials.js';
import { oktaOAuth } from './oauth.js';
import type { OktaSandbox } from './sandbox/index.js';

/**
 * Test helpers for the Okta connector: link an account through the real OAuth redirect, hold the
 * resulting tokens in a CredentialAccessor that refreshes like the real one, and build ToolContexts.
 */
export { capturingLogger } from '../shared/testing/capturingLogger.js';
export { runTool, summaryOf } from '../shared/testing/runTool.js';
export { actingUser, toolContext } from '../shared/testing/toolContext.js';

export const TEST_SCOPES = [
  'openid', 'profile', 'email', 'offline_access', 'okta.users.read.self', 'okta.myAccount.profile.read',
  // Requested so the sandbox can show what an admin's own token may do that an employee's may not.
  'okta.users.read', 'okta.users.manage', 'okta.groups.read', 'okta.groups.manage', 'okta.apps.read', 'okta.apps.manage',
];

export function oktaTestConfig(sandbox: OktaSandbox, overrides: Partial<ConnectorInstanceConfig> = {}): ConnectorInstanceConfig {
  return {
    id: 'okta',
    kind: 'okta',
    displayName: 'Okta',
    baseUrl: sandbox.url,
    oauth: { clientId: 'switchboard', clientSecret: 'sandbox-secret', scopes: TEST_SCOPES, redirectUri: 'http://127.0.0.1:3000/oauth/callback/okta' },
    serviceToken: sandbox.serviceToken,
    options: { timeoutMs: '3000', maxRateLimitWaitMs: '3000' },
    ...overrides,
  };
}

/** Runs authorize (login_hint consent) → callback → exchangeCode, as the HTTP app would. */
export function linkAccount(config: ConnectorInstanceConfig, email: string, oauth: OAuthProvider = oktaOAuth): Promise<TokenSet> {
  return linkThroughSandbox(oauth, config, email);
}

/** Refreshes ahead of expiry and after `invalidate()`; the service path uses the tenant's SSWS token. */
export class TestCredentials extends RefreshingTestCredentials {
  constructor(config: ConnectorInstanceConfig, tokens: TokenSet, options: { oauth?: OAuthProvider; skewMs?: number; serviceToken?: string } = {}) {
    const { serviceToken, ...rest } = options;
    super(config, tokens, {
      ...rest,
      oauth: rest.oauth ?? oktaOAuth,
      forService: async (): Promise<LinkedCredential> => {
        const token = serviceToken ?? config.serviceToken;
        if (!token) throw new Error('no Okta service credential configured');
        return { accessToken: token, metadata: {} };
      },
    });
  }
}

export function toolByName(tools: readonly ToolDefinition[], name: string): ToolDefinition {
  return findTool(tools, name, 'okta');
}
