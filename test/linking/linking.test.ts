import { Writable } from 'node:stream';
import { createLogger } from '../../src/core/logger.js';
import { AccountNotLinkedError, isSwitchboardError } from '../../src/core/errors.js';
import { HttpApp } from '../../src/http/httpApp.js';
import { openDatabase, type Database } from '../../src/store/database.js';
import { SecretBox, parseKeyRing, generateKeySpec } from '../../src/store/crypto/index.js';
import { createRepositories, syncTenants, type Repositories } from '../../src/store/repositories/index.js';
import { parseTenantsFile } from '../../src/config/tenantsFile.js';
import {
  AccountLinkingService, CredentialBroker, createConnectorDirectory, oauthCallbackHandler, linkStartPage, linkStartSubmit, mappedAccountsFrom,
  LinkBrowserMismatchError, LinkStateInvalidError, ServiceCredentialMissingError, type CompletedLink,
} from '../../src/linking/index.js';
import type { OAuthProvider } from '../../src/tools/connector.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startOAuthServer, type OAuthTestServer } from '../support/oauthServer.js';
import { createTestOAuthProvider } from '../support/oauthProvider.js';

// Everything any component logs during this file, to prove no secret ever reaches a log line.
const logLines: string[] = [];
const logger = createLogger({ level: 'debug', destination: new Writable({ write(chunk, _enc, done) { logLines.push(String(chunk)); done(); } }) });

let now = new Date('2026-11-22T09:00:00.000Z');
const clock = (): Date => new Date(now.getTime());

let t: TestDatabase;
let second: Database;
let oauth: OAuthTestServer;
let app: HttpApp;
let appUrl: string;
let repos: Repositories;
let service: AccountLinkingService;
let provider: OAuthProvider;
const box = new SecretBox(parseKeyRing(generateKeySpec('k1')));
const linked: CompletedLink[] = [];
const errorsSeen: string[] = [];
const users: Record<string, string> = {};

function tenantsFile(serverUrl: string) {
  return parseTenantsFile({
    tenants: [{
      id: 'acme', name: 'Acme',
      users: [
        { email: 'ada@acme.test', displayName: 'Ada', managerEmail: 'grace@acme.test' },
        { email: 'grace@acme.test', displayName: 'Grace', roles: ['employee', 'manager'] },
        { email: 'alan@acme.test', displayName: 'Alan' },
        // Linus's Jira account uses his old address; only that account may be linked for him.
        { email: 'linus@acme.test', displayName: 'Linus', accounts: { jira: 'l.t@old-acme.test' } },
      ],
      connectors: [
        { id: 'jira', kind: 'jira', baseUrl: serverUrl, oauth: { clientId: 'switchboard-test', clientSecretEnv: 'JIRA_SECRET', scopes: ['read', 'write'] } },
        { id: 'okta', kind: 'okta', baseUrl: serverUrl, oauth: { clientId: 'switchboard-test', clientSecretEnv: 'JIRA_SECRET' }, serviceTokenEnv: 'OKTA_SVC' },
      ],
    }],
  }, 'test');
}

async function authorize(url: string, email: string): Promise<string> {
  const response = await fetch(`${url}&login_hint=${encodeURIComponent(email)}`, { redirect: 'manual' });
  expect(response.status).toBe(302);
  return response.headers.get('location')!;
}

/** What a browser does with the link from the chat: the landing page, then "Continue" (a POST that sets the link cookie). */
async function openInBrowser(linkUrl: string): Promise<{ authorizeUrl: string; cookie: string }> {
  expect(linkUrl.startsWith(`${appUrl}/link/start?t=`)).toBe(true);
  const landing = await fetch(linkUrl);
  expect(landing.status).toBe(200);
  expect(await landing.text()).toContain('method="post" action="/link/start"');
  const posted = await fetch(`${appUrl}/link/start`, {
    method: 'POST', redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ t: new URL(linkUrl).searchParams.get('t')! }),
  });
  expect(posted.status).toBe(303);
  const setCookie = posted.headers.get('set-cookie')!;
  expect(setCookie).toMatch(/HttpOnly/);
  expect(setCookie).toMatch(/SameSite=Lax/);
  return { authorizeUrl: posted.headers.get('location')!, cookie: setCookie.split(';')[0]! };
}

/** Starts a link as `asUser`, opens it in a browser and signs in at the provider as `signInAs`; returns the callback page. */
async function linkViaBrowser(asUser: string, connectorId = 'jira', runId?: string, signInAs = asUser): Promise<Response> {
  const { url } = await service.startLink({ tenantId: 'acme', userId: users[asUser]!, connectorId, ...(runId ? { runId } : {}) });
  const browser = await openInBrowser(url);
  return fetch(await authorize(browser.authorizeUrl, signInAs), { headers: { cookie: browser.cookie } });
}

/** The verifier a browser would hold, for tests that drive completeLink directly. */
async function opened(state: string): Promise<{ authorizeUrl: string; browserVerifier: string }> {
  return service.openLink({ state });
}

beforeAll(async () => {
  t = await createTestDatabase({ logger });
  second = await openDatabase({ url: t.url, logger, poolMax: 2, migrate: false });
  oauth = await startOAuthServer({ expiresInSeconds: 3600 });
  provider = createTestOAuthProvider(clock);
  repos = createRepositories(t.db.prisma, box);
  await syncTenants(t.db.prisma, tenantsFile(oauth.url));
  for (const u of await repos.users.list('acme')) users[u.email] = u.id;
  app = new HttpApp(logger);
  appUrl = (await app.listen(0, '127.0.0.1')).url;
  const directory = createConnectorDirectory(tenantsFile(oauth.url).tenants, {
    sandboxUrls: {}, env: { JIRA_SECRET: oauth.clientSecret, OKTA_SVC: 'svc-token-okta' }, publicUrl: appUrl,
  });
  service = new AccountLinkingService({ repositories: repos, providers: () => provider, connectors: directory, logger, clock, publicUrl: appUrl, mappedAccount: mappedAccountsFrom(tenantsFile(oauth.url).tenants) });
  app.route('GET', '/link/start', linkStartPage(service));
  app.route('POST', '/link/start', linkStartSubmit(service, { secureCookies: false, logger }));
  app.route('GET', '/oauth/callback/:connectorId', oauthCallbackHandler(service, (link) => { linked.push(link); }, logger));
});

afterAll(async () => {
  await app.close();
  await oauth.close();
  await second.close();
  await t.drop();
});

function broker(db: Database = t.db): CredentialBroker {
  return new CredentialBroker({ accounts: createRepositories(db.prisma, box).accounts, providers: () => provider, logger, clock });
}

function jira() {
  return service.connector('acme', 'jira');
}

async function expectRejects(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    errorsSeen.push(error instanceof Error ? `${error.message} ${JSON.stringify(error)}` : String(error));
    return error;
  }
  throw new Error('expected the promise to reject');
}

test('the browser flow links the account, stores it encrypted, audits it and resumes the run', async () => {
  const runId = '7d9f1f8e-1c1e-4e55-9c55-2d0f3b0b8a11';
  const page = await linkViaBrowser('ada@acme.test', 'jira', runId);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('Account connected — you can close this tab');
  expect(linked).toEqual([{ tenantId: 'acme', userId: users['ada@acme.test'], connectorId: 'jira', connectorName: 'Jira', runId }]);

  const credential = await broker().credentialsFor({ tenantId: 'acme', userId: users['ada@acme.test']!, connector: jira() }).forUser();
  expect(oauth.isAccessTokenValid(credential.accessToken)).toBe(true);
  expect(credential.externalUserId).toBe('ada@acme.test');

  const raw = await t.db.pool.query('SELECT ciphertext, key_id, scopes FROM connector_accounts');
  expect(raw.rows).toHaveLength(1);
  expect(Buffer.from(raw.rows[0].ciphertext).toString('latin1')).not.toContain(credential.accessToken);
  expect(raw.rows[0].key_id).toBe('k1');
  expect(raw.rows[0].scopes).toEqual(['read', 'write']);
  const audit = await repos.audit.list('acme', { action: 'connector_account.linked' });
  expect(audit.map((a) => a.actorUserId)).toEqual([users['ada@acme.test']]);
});

test('a replayed callback is refused with a clear page and resumes nothing', async () => {
  const { url } = await service.startLink({ tenantId: 'acme', userId: users['alan@acme.test']!, connectorId: 'jira' });
  const browser = await openInBrowser(url);
  const callback = await authorize(browser.authorizeUrl, 'alan@acme.test');
  expect((await fetch(callback, { headers: { cookie: browser.cookie } })).status).toBe(200);
  const before = linked.length;
  const replay = await fetch(callback, { headers: { cookie: browser.cookie } });
  expect(replay.status).toBe(400);
  expect(await replay.text()).toContain('expired or was already used');
  expect(linked.length).toBe(before);
  const declined = await fetch(`${appUrl}/oauth/callback/jira?error=access_denied&state=x`);
  expect(await declined.text()).toContain('You declined');
  const garbage = await fetch(`${appUrl}/oauth/callback/jira?code=abc`);
  expect(garbage.status).toBe(400);
});

test('a link finished in a browser that did not open it is refused and stores nothing', async () => {
  const alan = users['alan@acme.test']!;
  const exchangesBefore = oauth.stats.codeExchanges;
  const { url } = await service.startLink({ tenantId: 'acme', userId: alan, connectorId: 'okta' });
  const browser = await openInBrowser(url);
  const callback = await authorize(browser.authorizeUrl, 'alan@acme.test');
  // Someone else's browser (no cookie, or the cookie of another link) brings the callback back.
  const elsewhere = await fetch(callback);
  expect(elsewhere.status).toBe(400);
  expect(await elsewhere.text()).toContain('finished in a different browser');
  const other = await service.startLink({ tenantId: 'acme', userId: alan, connectorId: 'okta' });
  const otherBrowser = await openInBrowser(other.url);
  const wrongCookie = await fetch(callback, { headers: { cookie: otherBrowser.cookie.replace(/^[^=]+/, browser.cookie.split('=')[0]!) } });
  expect(wrongCookie.status).toBe(400);
  expect(oauth.stats.codeExchanges).toBe(exchangesBefore);
  expect(await repos.accounts.find('acme', alan, 'okta')).toBeNull();
  // The link itself cannot be opened a second time elsewhere either.
  const again = await fetch(`${appUrl}/link/start`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ t: new URL(url).searchParams.get('t')! }) });
  expect(again.status).toBe(400);
  expect(await again.text()).toContain('This link was already opened');
  expect(await expectRejects(service.completeLink({ state: new URL(url).searchParams.get('t')!, code: 'x', browserVerifier: undefined }))).toBeInstanceOf(LinkBrowserMismatchError);
  // Another site cannot make a browser open someone's link (form posted cross-site).
  const fresh = await service.startLink({ tenantId: 'acme', userId: alan, connectorId: 'okta' });
  const crossSite = await fetch(`${appUrl}/link/start`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'cross-site' }, body: new URLSearchParams({ t: fresh.state }) });
  expect(crossSite.status).toBe(403);
  expect(crossSite.headers.get('set-cookie')).toBeNull();
  expect((await fetch(fresh.url)).status).toBe(200);
  // The browser that opened it still can.
  const mine = await fetch(callback, { headers: { cookie: browser.cookie } });
  expect(mine.status).toBe(200);
  expect(mine.headers.get('set-cookie')).toMatch(/Max-Age=0/);
  expect((await repos.accounts.find('acme', alan, 'okta'))?.tokens.metadata['verified_as']).toBe('alan@acme.test');
});

test('signing in at the provider as someone else is refused, audited, revoked, and the employee is told why', async () => {
  const ada = users['ada@acme.test']!;
  const before = (await repos.accounts.find('acme', ada, 'jira'))!;
  const revocationsBefore = oauth.stats.revocations;
  const linkedBefore = linked.length;
  const page = await linkViaBrowser('ada@acme.test', 'jira', undefined, 'alan@acme.test');
  expect(page.status).toBe(403);
  const text = await page.text();
  expect(text).toContain('You signed in to Jira as alan@acme.test, but you are ada@acme.test in Switchboard, so I did not connect that account.');
  expect(text).toContain('ask your admin');
  expect(linked.length).toBe(linkedBefore);
  // Ada's own link is untouched; Alan's grant was handed back to the provider.
  const after = (await repos.accounts.find('acme', ada, 'jira'))!;
  expect(after.version).toBe(before.version);
  expect(after.tokens.externalUserId).toBe('ada@acme.test');
  expect(oauth.stats.revocations - revocationsBefore).toBe(1);
  const refused = await repos.audit.list('acme', { action: 'connector_account.link_refused' });
  expect(refused).toHaveLength(1);
  expect(refused[0]).toMatchObject({ actorUserId: ada, targetId: 'jira', data: { reason: 'identity_mismatch', signedInAs: 'alan@acme.test', expected: 'ada@acme.test' } });
  // The refusal page (only ever shown in the browser that opened the link) offers a fresh link.
  const fresh = /name="t" value="([^"]+)"/.exec(text)?.[1];
  expect(fresh).toBeDefined();
  const browser = await openInBrowser(`${appUrl}/link/start?t=${encodeURIComponent(fresh!)}`);
  const retried = await fetch(await authorize(browser.authorizeUrl, 'ada@acme.test'), { headers: { cookie: browser.cookie } });
  expect(retried.status).toBe(200);
  expect((await repos.accounts.find('acme', ada, 'jira'))?.tokens.metadata['verified_as']).toBe('ada@acme.test');
});

test('an explicit account in the tenant config decides whose account it is', async () => {
  const linus = users['linus@acme.test']!;
  const byEmail = await linkViaBrowser('linus@acme.test', 'jira');
  expect(byEmail.status).toBe(403);
  expect(await byEmail.text()).toContain('You signed in to Jira as linus@acme.test, but your organisation lists l.t@old-acme.test as your Jira account');
  expect(await repos.accounts.find('acme', linus, 'jira')).toBeNull();
  const mapped = await linkViaBrowser('linus@acme.test', 'jira', undefined, 'l.t@old-acme.test');
  expect(mapped.status).toBe(200);
  const credential = await broker().credentialsFor({ tenantId: 'acme', userId: linus, connector: jira() }).forUser();
  expect(credential.externalUserId).toBe('l.t@old-acme.test');
  expect(credential.metadata['verified_as']).toBe('l.t@old-acme.test');
});

test('an account stored before identities were checked is not used until it is linked again', async () => {
  const linus = users['linus@acme.test']!;
  await repos.accounts.save('acme', { userId: linus, connectorId: 'okta', kind: 'okta', tokens: { accessToken: 'at-unverified', scopes: [], externalUserId: 'alan@acme.test', metadata: {} } });
  const okta = service.connector('acme', 'okta');
  expect(await expectRejects(broker().credentialsFor({ tenantId: 'acme', userId: linus, connector: okta }).forUser())).toBeInstanceOf(AccountNotLinkedError);
});

test('an OAuth state is consumed exactly once even when ten callbacks race', async () => {
  const exchangesBefore = oauth.stats.codeExchanges;
  const { state } = await service.startLink({ tenantId: 'acme', userId: users['grace@acme.test']!, connectorId: 'jira' });
  const browser = await opened(state);
  const code = new URL(await authorize(browser.authorizeUrl, 'grace@acme.test')).searchParams.get('code')!;
  const services = [service, new AccountLinkingService({ repositories: createRepositories(second.prisma, box), providers: () => provider, connectors: createConnectorDirectory(tenantsFile(oauth.url).tenants, { sandboxUrls: {}, env: { JIRA_SECRET: oauth.clientSecret }, publicUrl: appUrl }), logger, clock, publicUrl: appUrl })];
  const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => services[i % 2]!.completeLink({ state, code, browserVerifier: browser.browserVerifier })));
  expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  expect(rejected).toHaveLength(9);
  for (const r of rejected) expect(r.reason).toBeInstanceOf(LinkStateInvalidError);
  expect(oauth.stats.codeExchanges - exchangesBefore).toBe(1);
});

test('a state older than ten minutes is refused', async () => {
  const { state } = await service.startLink({ tenantId: 'acme', userId: users['alan@acme.test']!, connectorId: 'jira' });
  const browser = await opened(state);
  const code = new URL(await authorize(browser.authorizeUrl, 'alan@acme.test')).searchParams.get('code')!;
  now = new Date(now.getTime() + 10 * 60_000 + 1);
  const error = await expectRejects(service.completeLink({ state, code, browserVerifier: browser.browserVerifier }));
  expect(error).toBeInstanceOf(LinkStateInvalidError);
  expect((error as Error).message).not.toContain(code);
});

test('two workers racing on an expired token refresh it exactly once with a rotating provider', async () => {
  const userId = users['ada@acme.test']!;
  const refreshesBefore = oauth.stats.refreshCalls;
  now = new Date(now.getTime() + 3600_000 - 30_000); // inside the 60 s refresh-ahead window
  const a = broker(t.db).credentialsFor({ tenantId: 'acme', userId, connector: jira() });
  const b = broker(second).credentialsFor({ tenantId: 'acme', userId, connector: jira() });
  const [ca, cb] = await Promise.all([a.forUser(), b.forUser()]);
  expect(oauth.stats.refreshCalls - refreshesBefore).toBe(1);
  expect(oauth.stats.rejectedRefreshes).toBe(0);
  expect(ca.accessToken).toBe(cb.accessToken);
  expect(oauth.isAccessTokenValid(ca.accessToken)).toBe(true);
  // The rotated refresh token was stored: the next refresh succeeds too.
  await a.invalidate();
  const after = await a.forUser();
  expect(oauth.stats.refreshCalls - refreshesBefore).toBe(2);
  expect(oauth.stats.rejectedRefreshes).toBe(0);
  expect(after.accessToken).not.toBe(ca.accessToken);
});

test('a revoked grant turns into "please connect your account" and marks the link for re-consent', async () => {
  const userId = users['alan@acme.test']!;
  const accessor = broker().credentialsFor({ tenantId: 'acme', userId, connector: jira() });
  await accessor.forUser();
  oauth.revokeAllGrants();
  now = new Date(now.getTime() + 2 * 3600_000);
  const error = await expectRejects(accessor.forUser());
  expect(error).toBeInstanceOf(AccountNotLinkedError);
  expect((error as AccountNotLinkedError).userMessage).toBe('Please connect your Jira account so I can act as you.');
  expect((await repos.accounts.find('acme', userId, 'jira'))?.status).toBe('reauth_required');
  expect(await expectRejects(accessor.forUser())).toBeInstanceOf(AccountNotLinkedError);
  // Linking again heals it.
  const page = await linkViaBrowser('alan@acme.test');
  expect(page.status).toBe(200);
  expect(oauth.isAccessTokenValid((await accessor.forUser()).accessToken)).toBe(true);
});

test('no account, service tokens and unlinking', async () => {
  const grace = users['grace@acme.test']!;
  const okta = service.connector('acme', 'okta');
  const accessor = broker().credentialsFor({ tenantId: 'acme', userId: grace, connector: okta });
  expect(await expectRejects(accessor.forUser())).toBeInstanceOf(AccountNotLinkedError);
  expect(await accessor.forService()).toEqual({ accessToken: 'svc-token-okta', metadata: {} });
  const noService = broker().credentialsFor({ tenantId: 'acme', userId: grace, connector: jira() });
  expect(await expectRejects(noService.forService())).toBeInstanceOf(ServiceCredentialMissingError);

  const ada = users['ada@acme.test']!;
  const revocationsBefore = oauth.stats.revocations;
  expect(await service.unlink({ tenantId: 'acme', userId: ada, connectorId: 'jira' })).toBe(true);
  expect(oauth.stats.revocations - revocationsBefore).toBe(1);
  expect(await expectRejects(broker().credentialsFor({ tenantId: 'acme', userId: ada, connector: jira() }).forUser())).toBeInstanceOf(AccountNotLinkedError);
  expect(await service.unlink({ tenantId: 'acme', userId: ada, connectorId: 'jira' })).toBe(false);
  expect((await repos.audit.list('acme', { action: 'connector_account.unlinked' })).length).toBe(1);
});

test('a bad authorization code fails with a clear error that does not echo the code', async () => {
  const { state } = await service.startLink({ tenantId: 'acme', userId: users['grace@acme.test']!, connectorId: 'okta' });
  const browser = await opened(state);
  const error = await expectRejects(service.completeLink({ state, code: 'code_forged-by-someone', browserVerifier: browser.browserVerifier }));
  expect(isSwitchboardError(error) && error.code).toBe('link_exchange_failed');
  expect((error as Error).message).not.toContain('code_forged-by-someone');
  expect(logLines.join('')).not.toContain('code_forged-by-someone');
});

// Last on purpose: it scans everything the tests above logged or threw.
test('no authorization code, access token or refresh token reached a log line or error message', () => {
  const haystack = [...logLines, ...errorsSeen].join('\n');
  expect(logLines.length).toBeGreaterThan(10);
  expect(oauth.secretsIssued.length).toBeGreaterThan(10);
  for (const secret of oauth.secretsIssued) expect(haystack).not.toContain(secret);
});
