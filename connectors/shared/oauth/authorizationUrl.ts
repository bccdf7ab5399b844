import type { ConnectorInstanceConfig } from '../../../src/tools/connector.js';

/**
 * The consent URL of an authorization-code grant with PKCE S256 (RFC 6749 §4.1.1, RFC 7636 §4.3).
 * `extra` carries what a vendor adds (Atlassian's audience and prompt, Okta's response_mode).
 */
export function authorizationCodeUrl(endpoint: string, config: ConnectorInstanceConfig, input: { state: string; codeChallenge: string }, scopes: readonly string[], extra: Readonly<Record<string, string>> = {}): string {
  const url = new URL(endpoint);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: config.oauth.clientId,
    redirect_uri: config.oauth.redirectUri,
    scope: scopes.join(' '),
    state: input.state,
    code_challenge: input.codeChallenge,
    code_challenge_method: 'S256',
    ...extra,
  }).toString();
  return url.toString();
}
