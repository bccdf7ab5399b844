import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { exampleTenantsFilePath } from '../../src/config/tenantsFile.js';
import { startProduct, type RunningProduct } from './support/product.js';
import { BREAK_GLASS, breakGlassLogin, breakGlassSignIn, cookiePairs, ssoRoundTrip, ssoSignIn } from './support/signIn.js';

// Issue 10, finding 5 / deliverable 3: operations sign-in through the whole product (real Postgres,
// the Okta sandbox as each tenant's IdP). Two tenants share the sandbox IdP, as two customers of one
// Okta org would not, to show that nothing the IdP or a password vouches for crosses tenants.

const GLOBEX = {
  email: 'eve@globex.test',
  password: 'globex-break-glass-password-5678',
  hash: 'scrypt:32768:8:1:HaUNgdObiM8HtwmI0JXlQw:e-4eNCC5B4y41u7qinak_TsTeZInP5nrkX-FWpO58Vc',
};
const METRICS_TOKEN = 'metrics-token-for-tests-0123456789';

let product: RunningProduct;
let sql: pg.Client;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sb-signin-'));
  const file = parseYaml(await readFile(exampleTenantsFilePath(), 'utf8')) as { tenants: Record<string, unknown>[] };
  file.tenants.push({
    id: 'globex',
    name: 'Globex',
    users: [
      { email: GLOBEX.email, displayName: 'Eve Globex', roles: ['employee', 'admin'] },
      // Also known to the shared IdP; an admin at Globex only through the IdP group.
      { email: 'margaret@acme.test', displayName: 'Margaret at Globex', roles: ['employee'] },
    ],
    sso: { issuer: 'sandbox', clientId: 'switchboard', adminGroups: ['Sales'] },
    breakGlass: { email: GLOBEX.email, passwordHashEnv: 'GLOBEX_BREAK_GLASS_HASH' },
  });
  // A third tenant whose break-glass account only the throttling test uses (a bucket of its own).
  file.tenants.push({
    id: 'initech',
    name: 'Initech',
    users: [{ email: 'bill@initech.test', displayName: 'Bill', roles: ['admin'] }],
    breakGlass: { email: 'bill@initech.test', passwordHashEnv: 'INITECH_BREAK_GLASS_HASH' },
  });
  await writeFile(join(dir, 'tenants.yaml'), stringifyYaml(file));
  product = await startProduct({ env: { TENANTS_FILE: join(dir, 'tenants.yaml'), GLOBEX_BREAK_GLASS_HASH: GLOBEX.hash, INITECH_BREAK_GLASS_HASH: GLOBEX.hash, METRICS_TOKEN } });
  sql = new pg.Client({ connectionString: product.databaseUrl });
  await sql.connect();
}, 120_000);

afterAll(async () => {
  await sql?.end();
  await product?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const me = async (cookie: string): Promise<{ status: number; body: Record<string, unknown> }> => {
  const response = await fetch(`${product.url}/ops/api/me`, { headers: { cookie } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

describe('a session belongs to one tenant', () => {
  test("one tenant's break-glass password never opens another tenant", async () => {
    const attempts = [
      { tenant: 'globex', email: BREAK_GLASS.email, password: BREAK_GLASS.password },
      { tenant: 'globex', email: GLOBEX.email, password: BREAK_GLASS.password },
      { tenant: 'acme', email: GLOBEX.email, password: GLOBEX.password },
      { tenant: 'acme', email: GLOBEX.email, password: BREAK_GLASS.password },
    ];
    for (const attempt of attempts) {
      const response = await breakGlassLogin(product.url, attempt);
      expect({ attempt, status: response.status }).toEqual({ attempt, status: 401 });
      expect(response.headers.getSetCookie()).toEqual([]);
    }
    const acme = await breakGlassSignIn(product.url);
    expect((await me(acme.cookie)).body).toMatchObject({ tenantId: 'acme', email: BREAK_GLASS.email });
    const globex = await breakGlassSignIn(product.url, { tenant: 'globex', email: GLOBEX.email, password: GLOBEX.password });
    expect((await me(globex.cookie)).body).toMatchObject({ tenantId: 'globex', email: GLOBEX.email });
  });

  test("a person the IdP vouches for gets no session in a tenant they do not belong to", async () => {
    // Linus is Acme's admin and signs in to the same IdP; Globex does not know him.
    const refused = await ssoRoundTrip(product.url, 'globex', 'linus@acme.test');
    expect(refused.location).toBe('/ops?signin_error=unknown_user');
    expect(refused.cookies.some((c) => c.startsWith('sb_session='))).toBe(false);

    const acme = await ssoSignIn(product.url, 'acme', 'linus@acme.test');
    expect((await me(acme.cookie)).body).toMatchObject({ tenantId: 'acme', email: 'linus@acme.test', via: 'sso' });
    // Margaret is an admin at Globex through the IdP's "Sales" group, and not at Acme.
    const globex = await ssoSignIn(product.url, 'globex', 'margaret@acme.test');
    expect((await me(globex.cookie)).body).toMatchObject({ tenantId: 'globex', email: 'margaret@acme.test', roles: expect.arrayContaining(['admin']) });
    const acmeMargaret = await ssoSignIn(product.url, 'acme', 'margaret@acme.test');
    expect(await me(acmeMargaret.cookie)).toMatchObject({ status: 403, body: { error: { code: 'not_admin' } } });
    const audit = await sql.query(`SELECT tenant_id, data FROM audit_log WHERE action = 'auth.signed_in'`);
    expect(audit.rows.length).toBeGreaterThanOrEqual(3);
  });

  test('a sign-in is completed only by the browser that started it', async () => {
    const start = await fetch(`${product.url}/auth/sso/start?tenant=acme`, { redirect: 'manual' });
    const authorize = new URL(start.headers.get('location')!);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('nonce')).toBeTruthy();
    authorize.searchParams.set('login_hint', 'linus@acme.test');
    const callback = (await fetch(authorize, { redirect: 'manual' })).headers.get('location')!;
    // Another browser's pending sign-in (for Globex) and no cookie at all both find nothing to complete.
    const otherBrowser = cookiePairs(await fetch(`${product.url}/auth/sso/start?tenant=globex`, { redirect: 'manual' }))[0]!;
    for (const headers of [{ cookie: otherBrowser }, {}] as Record<string, string>[]) {
      const response = await fetch(callback, { redirect: 'manual', headers });
      expect(response.headers.get('location')).toMatch(/signin_error=/);
      expect(cookiePairs(response).some((c) => /^sb_session=./.test(c))).toBe(false);
    }
  });

  test('the way back after sign-in is always a local page', async () => {
    for (const returnTo of ['//evil.example/ops', 'https://evil.example/', '/\\evil.example']) {
      const start = await fetch(`${product.url}/auth/sso/start?tenant=acme&returnTo=${encodeURIComponent(returnTo)}`, { redirect: 'manual' });
      const authorize = new URL(start.headers.get('location')!);
      authorize.searchParams.set('login_hint', 'linus@acme.test');
      const callback = (await fetch(authorize, { redirect: 'manual' })).headers.get('location')!;
      const back = await fetch(callback, { redirect: 'manual', headers: { cookie: cookiePairs(start)[0]! } });
      expect(back.headers.get('location')).toBe('/ops');
    }
    const playground = await fetch(`${product.url}/auth/sso/start?tenant=acme&returnTo=/`, { redirect: 'manual' });
    const authorize = new URL(playground.headers.get('location')!);
    authorize.searchParams.set('login_hint', 'ada@acme.test');
    const callback = (await fetch(authorize, { redirect: 'manual' })).headers.get('location')!;
    expect((await fetch(callback, { redirect: 'manual', headers: { cookie: cookiePairs(playground)[0]! } })).headers.get('location')).toBe('/');
  });

  test('session cookies are HttpOnly, SameSite=Strict and readable by every path', async () => {
    const response = await breakGlassLogin(product.url, BREAK_GLASS);
    const setCookie = response.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^sb_session=acme\./);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).toMatch(/Path=\/;/);
    expect(await (await fetch(`${product.url}/ops/api/me`, { headers: { cookie: 'sb_session=acme.forgedforgedforgedforgedforgedforge' } })).status).toBe(401);
  });
});

describe('password sign-in is throttled', () => {
  test('the tenth attempt on one account within a minute is refused with 429, even with the right password', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 9; i++) statuses.push((await breakGlassLogin(product.url, { tenant: 'initech', email: 'bill@initech.test', password: `wrong-${i}` })).status);
    expect(statuses).toEqual(Array(9).fill(401));
    const tenth = await breakGlassLogin(product.url, { tenant: 'initech', email: 'bill@initech.test', password: GLOBEX.password });
    expect(tenth.status).toBe(429);
    expect(Number(tenth.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await tenth.json()) as { error: { code: string } }).error.code).toBe('too_many_attempts');
    const refusals = await sql.query(`SELECT data->>'reason' AS reason FROM audit_log WHERE tenant_id = 'initech' AND action = 'auth.sign_in_refused'`);
    expect(refusals.rows.map((r: { reason: string }) => r.reason).sort()).toEqual([...Array(9).fill('bad_credentials'), 'throttled']);
    // Another tenant's account is its own bucket.
    expect((await breakGlassLogin(product.url, BREAK_GLASS)).status).toBe(200);
  });
});

describe('state-changing requests need the session token from this site', () => {
  test('a POST without the CSRF token, or from another origin, is refused with 403', async () => {
    const session = await breakGlassSignIn(product.url);
    const replay = (headers: Record<string, string>) => fetch(`${product.url}/ops/api/dead-letters/00000000-0000-4000-8000-000000000000/replay`, { method: 'POST', headers, body: '{}' });
    const { 'x-csrf-token': _token, ...withoutToken } = session.writeHeaders;
    expect((await replay(withoutToken)).status).toBe(403);
    expect((await replay({ ...withoutToken, 'x-csrf-token': 'not-the-token' })).status).toBe(403);
    expect((await replay({ ...session.writeHeaders, origin: 'https://evil.example' })).status).toBe(403);
    // With both, the request reaches the route (no such dead letter).
    expect((await replay({ ...session.writeHeaders, origin: product.url })).status).toBe(404);
    expect((await fetch(`${product.url}/auth/logout`, { method: 'POST', headers: withoutToken, body: '{}' })).status).toBe(403);
    // Login CSRF: a foreign page cannot sign the browser in.
    expect((await breakGlassLogin(product.url, BREAK_GLASS, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await fetch(`${product.url}/auth/logout`, { method: 'POST', headers: session.writeHeaders, body: '{}' })).status).toBe(200);
    expect((await fetch(`${product.url}/ops/api/me`, { headers: { cookie: session.cookie } })).status).toBe(401);
  });
});

describe('behind https', () => {
  test('the session cookie is Secure with the __Host- prefix', async () => {
    const https = await startProduct({ env: { PUBLIC_URL: 'https://switchboard.example.test' } });
    try {
      // PUBLIC_URL names a proxy; the request reaches this process directly, as the proxy's would.
      const response = await breakGlassLogin(https.app.localUrl, BREAK_GLASS);
      expect(response.status).toBe(200);
      const setCookie = response.headers.get('set-cookie') ?? '';
      expect(setCookie).toMatch(/^__Host-sb_session=acme\.[\w-]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+; Secure$/);
      const start = await fetch(`${https.app.localUrl}/auth/sso/start?tenant=acme`, { redirect: 'manual' });
      expect(start.headers.get('set-cookie')).toMatch(/^sb_sso=.*; Path=\/auth\/sso; HttpOnly; SameSite=Lax; Max-Age=600; Secure$/);
      expect(new URL(start.headers.get('location')!).searchParams.get('redirect_uri')).toBe('https://switchboard.example.test/auth/sso/callback');
    } finally {
      await https.close();
    }
  }, 120_000);
});

describe('/metrics', () => {
  test('needs the bearer token when METRICS_TOKEN is set', async () => {
    expect((await fetch(`${product.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${product.url}/metrics`, { headers: { authorization: 'Bearer wrong-token-wrong-token' } })).status).toBe(401);
    const ok = await fetch(`${product.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('process_cpu');
  });
});
