import { Writable } from 'node:stream';
import { createLogger } from '../../src/core/logger.js';
import { AccountNotLinkedError, isSwitchboardError } from '../../src/core/errors.js';
import { HttpApp } from '../../src/http/httpApp.js';
import { openDatabase, type Database } from '../../src/store/database.js';
import { SecretBox, parseKeyRing, generateKeySpec } from '../../src/store/crypto/index.js';
import { createRepositories, syncTenants, type Repositories } from '../../src/store/repositories/index.js';
import { parseTenantsFile } from '../../src/config/tenantsFile.js';
import {
  AccountLinkingService, CredentialBroker, createConnectorDirectory, oauthCallbackHandler,
  LinkStateInvalidError, ServiceCredentialMissingError, type CompletedLink,
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

async function linkViaBrowser(email: string, connectorId = 'jira', runId?: string): Promise<Response> {
  const { url } = await service.startLink({ tenantId: 'acme', userId: users[email]!, connectorId, ...(runId ? { runId } : {}) });
  return fetch(await authorize(url, email));
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
  service = new AccountLinkingService({ repositories: repos, providers: () => provider, connectors: directory, logger, clock });
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
  const callback = await authorize(url, 'alan@acme.test');
  expect((await fetch(callback)).status).toBe(200);
  const before = linked.length;
  const replay = await fetch(callback);
  expect(replay.status).toBe(400);
  expect(await replay.text()).toContain('expired or was already used');
  expect(linked.length).toBe(before);
  const declined = await fetch(`${appUrl}/oauth/callback/jira?error=access_denied&state=x`);
  expect(await declined.text()).toContain('You declined');
  const garbage = await fetch(`${appUrl}/oauth/callback/jira?code=abc`);
  expect(garbage.status).toBe(400);
});

test('an OAuth state is consumed exactly once even when ten callbacks race', async () => {
  const exchangesBefore = oauth.stats.codeExchanges;
  const { url, state } = await service.startLink({ tenantId: 'acme', userId: users['grace@acme.test']!, connectorId: 'jira' });
  const code = new URL(await authorize(url, 'grace@acme.test')).searchParams.get('code')!;
  const services = [service, new AccountLinkingService({ repositories: createRepositories(second.prisma, box), providers: () => provider, connectors: createConnectorDirectory(tenantsFile(oauth.url).tenants, { sandboxUrls: {}, env: { JIRA_SECRET: oauth.clientSecret }, publicUrl: appUrl }), logger, clock })];
  const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => services[i % 2]!.completeLink({ state, code })));
  expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  expect(rejected).toHaveLength(9);
  for (const r of rejected) expect(r.reason).toBeInstanceOf(LinkStateInvalidError);
  expect(oauth.stats.codeExchanges - exchangesBefore).toBe(1);
});

test('a state older than ten minutes is refused', async () => {
  const { url, state } = await service.startLink({ tenantId: 'acme', userId: users['alan@acme.test']!, connectorId: 'jira' });
  const code = new URL(await authorize(url, 'alan@acme.test')).searchParams.get('code')!;
  now = new Date(now.getTime() + 10 * 60_000 + 1);
  const error = await expectRejects(service.completeLink({ state, code }));
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
  const error = await expectRejects(service.completeLink({ state, code: 'code_forged-by-someone' }));
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
