import { randomUUID } from 'node:crypto';
import type { ConnectorInstanceConfig, OAuthProvider, TokenSet } from '../../../src/tools/connector.js';
import { createPkcePair } from '../pkce.js';

/**
 * The browser leg of the authorization-code flow against a sandbox, as the HTTP app runs it: open
 * the authorize URL with `login_hint` (the sandboxes then consent for that demo user), read code and
 * state from the 302 without following it, and exchange the code with the PKCE verifier.
 */
export async function linkThroughSandbox(oauth: OAuthProvider, config: ConnectorInstanceConfig, email: string): Promise<TokenSet> {
  const pkce = createPkcePair();
  const state = randomUUID();
  const url = new URL(oauth.authorizationUrl(config, { state, codeChallenge: pkce.challenge }));
  url.searchParams.set('login_hint', email);
  const response = await fetch(url, { redirect: 'manual' });
  const location = response.headers.get('location');
  if (response.status !== 302 || !location) throw new Error(`authorize answered ${response.status}`);
  const callback = new URL(location);
  if (callback.searchParams.get('state') !== state) throw new Error('state mismatch on callback');
  const code = callback.searchParams.get('code');
  if (!code) throw new Error(`authorize refused: ${callback.searchParams.get('error') ?? 'no code'}`);
  return oauth.exchangeCode(config, { code, codeVerifier: pkce.verifier });
}
