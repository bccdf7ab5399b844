import { createHash, createPublicKey, randomBytes, verify } from 'node:crypto';
import { startOktaSandbox, type OktaSandbox } from './sandbox/index.js';

// The Okta sandbox as an OpenID Connect provider (issue 10): discovery, an RS256 ID token verifiable
// with the published JWKS, the nonce and groups claims, PKCE enforced.
let okta: OktaSandbox;

beforeAll(async () => {
  okta = await startOktaSandbox();
});

afterAll(async () => {
  await okta?.stop();
});

function parts(jwt: string): { header: Record<string, unknown>; claims: Record<string, unknown>; signed: string; signature: Buffer } {
  const [h, c, s] = jwt.split('.');
  return { header: JSON.parse(Buffer.from(h!, 'base64url').toString()), claims: JSON.parse(Buffer.from(c!, 'base64url').toString()), signed: `${h}.${c}`, signature: Buffer.from(s!, 'base64url') };
}

test('discovery names the issuer and endpoints; the ID token verifies against the JWKS', async () => {
  const discovery = (await (await fetch(`${okta.url}/.well-known/openid-configuration`)).json()) as Record<string, string | string[]>;
  expect(discovery).toMatchObject({ issuer: okta.url, authorization_endpoint: `${okta.url}/oauth2/v1/authorize`, token_endpoint: `${okta.url}/oauth2/v1/token`, jwks_uri: `${okta.url}/oauth2/v1/keys`, id_token_signing_alg_values_supported: ['RS256'], code_challenge_methods_supported: ['S256'] });
  const jwks = (await (await fetch(discovery.jwks_uri as string)).json()) as { keys: (Record<string, string>)[] };

  const verifier = randomBytes(32).toString('base64url');
  const authorize = new URL(discovery.authorization_endpoint as string);
  for (const [k, v] of Object.entries({ client_id: 'switchboard', response_type: 'code', scope: 'openid email profile groups', redirect_uri: 'http://127.0.0.1:1/cb', state: 's1', nonce: 'n-123', code_challenge: createHash('sha256').update(verifier).digest('base64url'), code_challenge_method: 'S256', login_hint: 'linus@acme.test' })) authorize.searchParams.set(k, v);
  const back = new URL((await fetch(authorize, { redirect: 'manual' })).headers.get('location')!);
  expect(back.searchParams.get('state')).toBe('s1');
  const exchange = (codeVerifier: string) => fetch(discovery.token_endpoint as string, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'authorization_code', client_id: 'switchboard', code: back.searchParams.get('code')!, redirect_uri: 'http://127.0.0.1:1/cb', code_verifier: codeVerifier }) });
  expect((await exchange('not-the-verifier-not-the-verifier-not-the-verifier')).status).toBe(400);
  const tokens = (await (await exchange(verifier)).json()) as { id_token: string };

  const token = parts(tokens.id_token);
  expect(token.header).toMatchObject({ alg: 'RS256' });
  const jwk = jwks.keys.find((k) => k.kid === token.header.kid)!;
  const key = createPublicKey({ key: jwk, format: 'jwk' });
  expect(verify('sha256', Buffer.from(token.signed), key, token.signature)).toBe(true);
  const tampered = token.signed.slice(0, -1) + (token.signed.endsWith('A') ? 'B' : 'A');
  expect(verify('sha256', Buffer.from(tampered), key, token.signature)).toBe(false);
  expect(token.claims).toMatchObject({ iss: okta.url, aud: 'switchboard', nonce: 'n-123', email: 'linus@acme.test', email_verified: true, groups: expect.arrayContaining(['Okta Admins', 'Everyone']) });
});
