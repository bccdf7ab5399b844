/** The demo tenant's break-glass account in tests: startProduct sets ACME_BREAK_GLASS_HASH to this password's hash. */
export const BREAK_GLASS = {
  tenant: 'acme',
  email: 'linus@acme.test',
  password: 'break-glass-test-password-1234',
  /** `printf '%s' break-glass-test-password-1234 | npm run -s hash-password` */
  hash: 'scrypt:32768:8:1:FlrACbGqyeJ9hPlK1X6DJw:vcEeG2pcaIgIibSk8kxfM96n_FZpT_PDxvd3fgSGIZE',
} as const;

/** A browser's session: the cookie to send back and the CSRF token state-changing requests echo. */
export interface TestSession {
  readonly cookie: string;
  readonly csrfToken: string;
  /** Headers for a state-changing JSON request from the product's own page. */
  readonly writeHeaders: Record<string, string>;
}

export function cookiePairs(response: Response): string[] {
  return response.headers.getSetCookie().map((c) => c.split(';')[0]!);
}

async function sessionFrom(base: string, cookie: string): Promise<TestSession> {
  const me = (await (await fetch(`${base}/auth/session`, { headers: { cookie } })).json()) as { signedIn: boolean; csrfToken?: string };
  expect(me.signedIn).toBe(true);
  const csrfToken = me.csrfToken!;
  return { cookie, csrfToken, writeHeaders: { cookie, 'content-type': 'application/json', 'x-csrf-token': csrfToken } };
}

export function breakGlassLogin(base: string, body: { tenant: string; email: string; password: string }, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${base}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

/** Signs in with the tenant's break-glass account (BREAK_GLASS by default). */
export async function breakGlassSignIn(base: string, account: { tenant: string; email: string; password: string } = BREAK_GLASS): Promise<TestSession> {
  const response = await breakGlassLogin(base, account);
  expect(response.status).toBe(200);
  return sessionFrom(base, cookiePairs(response)[0]!);
}

/**
 * The SSO round trip a browser makes, by HTTP: /auth/sso/start → the IdP (the Okta sandbox signs in
 * `email` via login_hint) → /auth/sso/callback. Resolves the final redirect and the cookies set.
 */
export async function ssoRoundTrip(base: string, tenant: string, email: string): Promise<{ location: string; cookies: string[]; pendingCookie: string }> {
  const start = await fetch(`${base}/auth/sso/start?tenant=${tenant}`, { redirect: 'manual' });
  expect(start.status).toBe(302);
  const pendingCookie = cookiePairs(start)[0]!;
  const authorize = new URL(start.headers.get('location')!);
  authorize.searchParams.set('login_hint', email);
  const idp = await fetch(authorize, { redirect: 'manual' });
  expect(idp.status).toBe(302);
  const callback = await fetch(idp.headers.get('location')!, { redirect: 'manual', headers: { cookie: pendingCookie } });
  expect(callback.status).toBe(302);
  return { location: callback.headers.get('location')!, cookies: cookiePairs(callback).filter((c) => !c.endsWith('=')), pendingCookie };
}

/** Signs in by SSO against the sandbox IdP. */
export async function ssoSignIn(base: string, tenant: string, email: string): Promise<TestSession> {
  const { cookies, location } = await ssoRoundTrip(base, tenant, email);
  expect(location).not.toContain('signin_error');
  return sessionFrom(base, cookies.find((c) => c.startsWith('sb_session='))!);
}
