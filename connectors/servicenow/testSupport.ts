import type { Logger } from '../../src/core/logger.js';
import type { ConnectorInstanceConfig, OAuthProvider, TokenSet } from '../../src/tools/connector.js';
import type { ToolContext, ToolDefinition } from '../../src/tools/tool.js';
import { linkThroughSandbox } from '../shared/testing/linkAccount.js';
import { toolByName as findTool } from '../shared/testing/runTool.js';
import { RefreshingTestCredentials } from '../shared/testing/testCredentials.js';
import { toolContext } from '../shared/testing/toolContext.js';
import { servicenowOAuth } from './oauth.js';
import type { ServiceNowSandbox } from './sandbox/index.js';

/**
 * Test helpers for the ServiceNow connector: link an account through the real OAuth redirect, keep
 * the tokens in a CredentialAccessor that refreshes like the production one, and build ToolContexts.
 */
export { capturingLogger } from '../shared/testing/capturingLogger.js';
export { runTool, summaryOf } from '../shared/testing/runTool.js';
export { actingUser, toolContext } from '../shared/testing/toolContext.js';

export function servicenowTestConfig(sandbox: ServiceNowSandbox, options: Record<string, string> = {}): ConnectorInstanceConfig {
  return {
    id: 'servicenow',
    kind: 'servicenow',
    displayName: 'ServiceNow',
    baseUrl: sandbox.url,
    oauth: { clientId: 'switchboard', clientSecret: 'sandbox-secret', scopes: ['useraccount'], redirectUri: 'http://127.0.0.1:3000/oauth/callback/servicenow' },
    options: { timeoutMs: '3000', maxRateLimitWaitMs: '3000', retryBaseMs: '5', maxAttempts: '6', ...options },
  };
}

/** authorize with login_hint → 302 to the callback → exchangeCode, as the HTTP app does it. */
export function linkAccount(config: ConnectorInstanceConfig, email: string, oauth: OAuthProvider = servicenowOAuth): Promise<TokenSet> {
  return linkThroughSandbox(oauth, config, email);
}

/** Refreshes ahead of expiry and after `invalidate()`; ServiceNow tools act only as the employee. */
export class TestCredentials extends RefreshingTestCredentials {
  constructor(config: ConnectorInstanceConfig, tokens: TokenSet, options: { oauth?: OAuthProvider; skewMs?: number } = {}) {
    super(config, tokens, { ...options, oauth: options.oauth ?? servicenowOAuth });
  }
}

export function toolByName(tools: readonly ToolDefinition[], name: string): ToolDefinition {
  return findTool(tools, name, 'servicenow');
}

/** Links `email` through the OAuth flow and returns what a tool call as that person needs. */
export async function linkedUser(sandbox: ServiceNowSandbox, email: string, configOptions: Record<string, string> = {}): Promise<{ config: ConnectorInstanceConfig; credentials: TestCredentials; ctx: (overrides?: { idempotencyKey?: string; logger?: Logger }) => ToolContext }> {
  const config = servicenowTestConfig(sandbox, configOptions);
  const credentials = new TestCredentials(config, await linkAccount(config, email));
  return { config, credentials, ctx: (overrides = {}) => toolContext({ config, credentials, email, ...overrides }) };
}

/** The number of the sandbox's seeded incident raised by `caller` whose short description mentions `text`. */
export function seededIncidentNumber(sandbox: ServiceNowSandbox, caller: string, text: string): string {
  const row = sandbox.state.rows('incident').find((r) => r['caller_id'] === sandbox.user(caller)['sys_id'] && r['short_description']?.includes(text));
  if (!row?.['number']) throw new Error(`no seeded incident "${text}"`);
  return row['number'];
}
