import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createLogger } from '../../src/core/logger.js';
import { OktaClient } from './client.js';
import { OktaApiError, OktaGroupNotManageableError, OktaLookupError } from './errors.js';
import { oktaConnector } from './index.js';
import { startOktaSandbox, type OktaSandbox } from './sandbox/index.js';
import { linkAccount, oktaTestConfig, runTool, summaryOf, TestCredentials, toolByName, toolContext } from './testSupport.js';
import type { ConnectorInstanceConfig } from '../../src/tools/connector.js';

const ADA = 'ada@acme.test';
const LINUS = 'linus@acme.test';

describe('okta actions as two different employees', () => {
  let sandbox: OktaSandbox;
  let config: ConnectorInstanceConfig;
  const creds: Record<string, TestCredentials> = {};

  beforeAll(async () => {
    sandbox = await startOktaSandbox({ seed: 7 });
    config = oktaTestConfig(sandbox);
    for (const email of [ADA, LINUS]) creds[email] = new TestCredentials(config, await linkAccount(config, email));
  });
  afterAll(() => sandbox.stop());

  const ctx = (email: string) => toolContext({ config, credentials: creds[email] as TestCredentials, email });
  const tool = (name: string) => toolByName(oktaConnector.tools(config), name);

  it('links each account to its own Okta user id', () => {
    expect(creds[ADA]?.tokens.externalUserId).toBe(sandbox.user(ADA).id);
    expect(creds[LINUS]?.tokens.externalUserId).toBe(sandbox.user(LINUS).id);
    expect(creds[ADA]?.tokens.metadata['login']).toBe(ADA);
  });

  it('exposes exactly the catalog tools with their risk tiers', () => {
    const tools = oktaConnector.tools(config);
    expect(tools.map((t) => `${t.name}:${t.risk}:${t.idempotent}`).sort()).toEqual([
      'get_my_profile:read:true', 'leave_group:write:true', 'list_my_apps:read:true', 'list_my_groups:read:true', 'list_requestable:read:true', 'request_app_access:high:true',
      'request_group_membership:high:true', 'reset_my_mfa:high:true', 'reset_my_password:high:false', 'unlock_my_account:high:true',
    ]);
    for (const t of tools) if (!t.idempotent || t.risk !== 'read') expect(t.reconcile).toBeDefined();
    // Every change says in its own words what happened; of the reads only the single record does (lists read better as bullets).
    expect(tools.filter((t) => t.summarize).map((t) => t.name).sort()).toEqual([
      'get_my_profile', 'leave_group', 'list_requestable', 'request_app_access', 'request_group_membership', 'reset_my_mfa', 'reset_my_password', 'unlock_my_account',
    ]);
    expect(tool('request_group_membership').describe?.({ group: 'VPN Users' })).toBe('Add you to the Okta group "VPN Users"');
  });

  it('reads only the caller: profile, groups and apps differ per employee', async () => {
    const adaProfile = await runTool(tool('get_my_profile'), ctx(ADA), {});
    const linusProfile = await runTool(tool('get_my_profile'), ctx(LINUS), {});
    expect(adaProfile).toMatchObject({ login: ADA, displayName: 'Ada Lovelace', status: 'LOCKED_OUT', lockedOut: true });
    expect(linusProfile).toMatchObject({ login: LINUS, status: 'ACTIVE', lockedOut: false, title: 'IT Administrator' });
    const lastLogin = (email: string) => sandbox.user(email).lastLogin.slice(0, 10);
    expect(summaryOf(tool('get_my_profile'), linusProfile, {}))
      .toBe(`Your Okta account “linus@acme.test” (“Linus Torvalds”, “IT Administrator”) is active; last sign-in ${lastLogin(LINUS)}.`);

    const adaGroups = await runTool(tool('list_my_groups'), ctx(ADA), {}) as { groups: { name: string }[] };
    const linusGroups = await runTool(tool('list_my_groups'), ctx(LINUS), {}) as { groups: { name: string }[] };
    expect(adaGroups.groups.map((g) => g.name)).not.toContain('Okta Admins');
    expect(linusGroups.groups.map((g) => g.name)).toEqual(expect.arrayContaining(['Okta Admins', 'VPN Users']));

    const adaApps = await runTool(tool('list_my_apps'), ctx(ADA), {}) as { apps: { label: string }[] };
    const linusApps = await runTool(tool('list_my_apps'), ctx(LINUS), {}) as { apps: { label: string }[] };
    expect(adaApps.apps.map((a) => a.label).sort()).toEqual(['GitHub', 'Jira', 'ServiceNow', 'Slack']);
    expect(linusApps.apps.map((a) => a.label)).toContain('Salesforce');
  });

  it('the profile sentence quotes what Okta returns: markup in a profile field cannot format or mention', async () => {
    const profile = sandbox.user(ADA).profile;
    const title = profile.title;
    profile.title = '*Chief* <@U123> `VPN`\nEngineer';
    try {
      const ada = await runTool(tool('get_my_profile'), ctx(ADA), {});
      expect(summaryOf(tool('get_my_profile'), ada, {}))
        .toBe(`Your Okta account “ada@acme.test” (“Ada Lovelace”, “Chief @U123 VPN Engineer”) is locked out; last sign-in ${sandbox.user(ADA).lastLogin.slice(0, 10)}.`);
    } finally {
      profile.title = title;
    }
  });

  it("an employee's own token is refused on other users and on admin operations; an admin's is not", async () => {
    const client = (email: string) => new OktaClient({ baseUrl: sandbox.url, credentials: creds[email] as TestCredentials, logger: createLogger({ level: 'silent' }) });
    const linusId = sandbox.user(LINUS).id;
    const adaId = sandbox.user(ADA).id;
    const denied = await client(ADA).request({ method: 'GET', path: `/api/v1/users/${linusId}`, auth: 'user' }).catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(OktaApiError);
    expect(denied).toMatchObject({ status: 403, vendorCode: 'E0000006', code: 'connector_forbidden' });
    const adaLifecycle = await client(ADA).request({ method: 'POST', path: `/api/v1/users/${adaId}/lifecycle/unlock`, auth: 'user' }).catch((e: unknown) => e);
    expect(adaLifecycle).toMatchObject({ status: 403, vendorCode: 'E0000006' });
    const adaGroups = await client(ADA).request({ method: 'GET', path: '/api/v1/groups', auth: 'user' }).catch((e: unknown) => e);
    expect(adaGroups).toMatchObject({ status: 403 });
    const missing = await client(ADA).request({ method: 'GET', path: '/api/v1/users/00unobody0000000000', auth: 'user' }).catch((e: unknown) => e);
    expect(missing).toMatchObject({ status: 403 });

    await expect(client(LINUS).request({ method: 'GET', path: `/api/v1/users/${adaId}`, auth: 'user' })).resolves.toMatchObject({ status: 200 });
    const linusMissing = await client(LINUS).request({ method: 'GET', path: '/api/v1/users/00unobody0000000000', auth: 'user' }).catch((e: unknown) => e);
    expect(linusMissing).toMatchObject({ status: 404, vendorCode: 'E0000007' });
    expect(sandbox.state.count('user.account.unlock')).toBe(0);
  });

  it('the unlock precheck reads only: locked out → needed; not locked → not needed, with the answer', async () => {
    const unlock = tool('unlock_my_account');
    const events = sandbox.state.events.length;
    await expect(unlock.precheck!(ctx(ADA), {})).resolves.toEqual({ status: 'needed' });
    const linus = await unlock.precheck!(ctx(LINUS), {});
    expect(linus).toEqual({ status: 'not_needed', output: { userId: sandbox.user(LINUS).id, login: LINUS, status: 'ACTIVE', changed: false } });
    expect(linus.status === 'not_needed' && summaryOf(unlock, linus.output, {})).toBe('Your Okta account “linus@acme.test” was not locked, so nothing changed.');
    expect(sandbox.state.events.length).toBe(events);
    expect(sandbox.user(ADA).status).toBe('LOCKED_OUT');
  });

  it('unlock acts only on the requester, and only when locked out', async () => {
    const ada = await runTool(tool('unlock_my_account'), ctx(ADA), {});
    const linus = await runTool(tool('unlock_my_account'), ctx(LINUS), {});
    expect(ada).toMatchObject({ userId: sandbox.user(ADA).id, status: 'ACTIVE', changed: true });
    expect(linus).toMatchObject({ userId: sandbox.user(LINUS).id, status: 'ACTIVE', changed: false });
    expect(summaryOf(tool('unlock_my_account'), ada, {})).toBe('Your Okta account “ada@acme.test” is unlocked: you can sign in again.');
    expect(summaryOf(tool('unlock_my_account'), linus, {})).toBe('Your Okta account “linus@acme.test” was not locked, so nothing changed.');
    expect(sandbox.user(ADA).status).toBe('ACTIVE');
    expect(sandbox.state.count('user.account.unlock')).toBe(1);
    // Repeating is harmless: the state guard sees ACTIVE.
    expect(await runTool(tool('unlock_my_account'), ctx(ADA), {})).toMatchObject({ changed: false });
    expect(sandbox.state.count('user.account.unlock')).toBe(1);
  });

  it('reset password moves only the requester to RECOVERY, once', async () => {
    const result = await runTool(tool('reset_my_password'), ctx(ADA), {});
    expect(result).toMatchObject({ userId: sandbox.user(ADA).id, status: 'RECOVERY', changed: true, emailSent: true });
    expect(summaryOf(tool('reset_my_password'), result, {})).toBe('Your Okta password reset has started: Okta emailed you a reset link for “ada@acme.test”.');
    expect(sandbox.user(ADA).status).toBe('RECOVERY');
    expect(sandbox.user(LINUS).status).toBe('ACTIVE');
    // While the reset is in progress nobody needs to be asked again: the earlier link still works.
    await expect(tool('reset_my_password').precheck!(ctx(ADA), {})).resolves.toMatchObject({ status: 'not_needed', output: { changed: false, emailSent: false } });
    await expect(tool('reset_my_password').precheck!(ctx(LINUS), {})).resolves.toEqual({ status: 'needed' });
    const again = await runTool(tool('reset_my_password'), ctx(ADA), {});
    expect(again).toMatchObject({ changed: false, emailSent: false });
    expect(summaryOf(tool('reset_my_password'), again, {}))
      .toBe('Your Okta password reset for “ada@acme.test” was already in progress, so no new email was sent: use the earlier link.');
    // While the reset is pending, the profile says so in plain words.
    expect(summaryOf(tool('get_my_profile'), await runTool(tool('get_my_profile'), ctx(ADA), {}), {})).toContain('is waiting for a password reset');
    expect(sandbox.state.count('user.account.reset_password', sandbox.user(ADA).id)).toBe(1);
    expect(await tool('reset_my_password').reconcile?.(ctx(ADA), {})).toMatchObject({ status: 'applied' });
    expect(await tool('reset_my_password').reconcile?.(ctx(LINUS), {})).toEqual({ status: 'not_applied' });
  });

  it('reset MFA removes the requester factors and nobody else', async () => {
    const before = sandbox.state.factors.get(sandbox.user(LINUS).id)?.length;
    const result = await runTool(tool('reset_my_mfa'), ctx(ADA), {});
    expect(result).toMatchObject({ factorsRemoved: 2, changed: true });
    expect(summaryOf(tool('reset_my_mfa'), result, {})).toBe('Okta removed the 2 MFA factors of “ada@acme.test”: you will enrol again at your next sign-in.');
    expect(sandbox.state.factors.get(sandbox.user(ADA).id)).toEqual([]);
    expect(sandbox.state.factors.get(sandbox.user(LINUS).id)?.length).toBe(before);
    const again = await runTool(tool('reset_my_mfa'), ctx(ADA), {});
    expect(again).toMatchObject({ factorsRemoved: 0, changed: false });
    expect(summaryOf(tool('reset_my_mfa'), again, {})).toBe('Your Okta account “ada@acme.test” had no MFA factors enrolled, so there was nothing to reset.');
    // A reconciled reset knows the factors are gone, not how many there were.
    const reconciled = await tool('reset_my_mfa').reconcile?.(ctx(ADA), {});
    expect(reconciled?.status).toBe('applied');
    if (reconciled?.status === 'applied') {
      expect(summaryOf(tool('reset_my_mfa'), reconciled.output, {})).toBe('The Okta MFA factors of “ada@acme.test” were reset: you will enrol again at your next sign-in.');
    }
    expect(sandbox.state.count('user.mfa.factor.reset_all')).toBe(1);
  });

  it('group membership: the requester joins, existing members are left alone, directory groups are refused', async () => {
    const ada = await runTool(tool('request_group_membership'), ctx(ADA), { group: 'vpn users', justification: 'on call' });
    const linus = await runTool(tool('request_group_membership'), ctx(LINUS), { group: 'VPN Users' });
    expect(ada).toMatchObject({ groupName: 'VPN Users', userId: sandbox.user(ADA).id, changed: true });
    expect(linus).toMatchObject({ changed: false });
    expect(summaryOf(tool('request_group_membership'), ada, { group: 'vpn users', justification: 'on call' })).toBe('You are now a member of the Okta group “VPN Users”.');
    expect(summaryOf(tool('request_group_membership'), linus, { group: 'VPN Users' })).toBe('You were already a member of the Okta group “VPN Users”, so nothing changed.');
    expect(sandbox.state.count('group.user_membership.add')).toBe(1);
    await expect(runTool(tool('request_group_membership'), ctx(ADA), { group: 'Domain Users' })).rejects.toBeInstanceOf(OktaGroupNotManageableError);
    await expect(runTool(tool('request_group_membership'), ctx(ADA), { group: 'Nope' })).rejects.toMatchObject({ code: 'okta_group_not_found' });
    expect(await tool('request_group_membership').reconcile?.(ctx(ADA), { group: 'VPN Users' })).toMatchObject({ status: 'applied' });
  });

  it('app access: assigns the app to the requester; an app already held through a group is left alone', async () => {
    const ada = await runTool(tool('request_app_access'), ctx(ADA), { app: 'Salesforce' });
    const linus = await runTool(tool('request_app_access'), ctx(LINUS), { app: 'Salesforce' });
    expect(ada).toMatchObject({ label: 'Salesforce', userId: sandbox.user(ADA).id, scope: 'USER', changed: true });
    expect(linus).toMatchObject({ scope: 'GROUP', changed: false });
    expect(summaryOf(tool('request_app_access'), ada, { app: 'Salesforce' })).toBe('Okta assigned the app “Salesforce” to you.');
    expect(summaryOf(tool('request_app_access'), linus, { app: 'Salesforce' })).toBe('You already have the Okta app “Salesforce” through one of your groups, so nothing changed.');
    const direct = await runTool(tool('request_app_access'), ctx(ADA), { app: 'Salesforce' });
    expect(summaryOf(tool('request_app_access'), direct, { app: 'Salesforce' })).toBe('The Okta app “Salesforce” was already assigned to you, so nothing changed.');
    expect(sandbox.state.count('application.user_membership.add')).toBe(1);
    const apps = await runTool(tool('list_my_apps'), ctx(ADA), {}) as { apps: { label: string }[] };
    expect(apps.apps.map((a) => a.label)).toContain('Salesforce');
    const ambiguous = await runTool(tool('request_app_access'), ctx(ADA), { app: 'Git' }).catch((e: unknown) => e);
    expect(ambiguous).toBeInstanceOf(OktaLookupError);
    expect((ambiguous as OktaLookupError).userMessage).toContain('GitHub Status');
  });

  it('service-path writes went out with the service credential, never the employee token', () => {
    const writes = sandbox.state.events.filter((e) => e.type !== 'system.email.password_reset.sent_message');
    const serviceId = sandbox.user('svc.switchboard@acme.test').id;
    expect(writes.length).toBeGreaterThan(0);
    for (const event of writes) expect(event.actorId).toBe(serviceId);
  });
});
