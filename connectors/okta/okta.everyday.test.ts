import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ConnectorInstanceConfig } from '../../src/tools/connector.js';
import { oktaConnector } from './index.js';
import { OktaContract } from './openapiContract.js';
import { startOktaSandbox, type OktaSandbox } from './sandbox/index.js';
import { linkAccount, oktaTestConfig, runTool, summaryOf, TestCredentials, toolByName, toolContext } from './testSupport.js';

const ADA = 'ada@acme.test';
const ALAN = 'alan@acme.test';
const SPECS = {
  'okta-management': '/work/shared/specs/okta-management.openapi.yaml',
  'okta-myaccount': '/work/shared/specs/okta-myaccount.openapi.yaml',
};

/** The everyday Okta actions (issue 13): leave a group, list what can be requested — only ever for the requester. */
describe('okta everyday actions', () => {
  let sandbox: OktaSandbox;
  let config: ConnectorInstanceConfig;
  const creds: Record<string, TestCredentials> = {};
  const ctx = (email: string) => toolContext({ config, credentials: creds[email] as TestCredentials, email });
  const tool = (name: string) => toolByName(oktaConnector.tools(config), name);
  const members = (group: string) => [...([...sandbox.state.groups.values()].find((g) => g.name === group)?.members ?? [])];

  beforeAll(async () => {
    sandbox = await startOktaSandbox({ seed: 13 });
    config = oktaTestConfig(sandbox);
    for (const email of [ADA, ALAN]) creds[email] = new TestCredentials(config, await linkAccount(config, email));
  });
  afterAll(() => sandbox.stop());

  it('list_requestable: Okta groups and active apps the employee does not have yet', async () => {
    const ada = await runTool(tool('list_requestable'), ctx(ADA), {}) as { groups: { name: string }[]; apps: { label: string }[] };
    expect(ada.groups.map((g) => g.name)).toEqual(['Okta Admins', 'Sales', 'Salesforce Users', 'VPN Users']);
    expect(ada.groups.map((g) => g.name)).not.toContain('Domain Users');
    expect(ada.apps.map((a) => a.label)).toEqual(['GitHub Status', 'Salesforce']);
    expect(summaryOf(tool('list_requestable'), ada, {}))
      .toBe('You can request 4 groups (“Okta Admins”, “Sales”, “Salesforce Users”, …) and 2 apps (“GitHub Status”, “Salesforce”) in Okta; each needs an approver.');
    const alanApps = await runTool(tool('list_requestable'), ctx(ALAN), { kind: 'apps' }) as { groups: unknown[]; apps: { label: string }[] };
    expect(alanApps.groups).toEqual([]);
    expect(alanApps.apps.map((a) => a.label)).toEqual(['GitHub', 'GitHub Status']);
    expect(summaryOf(tool('list_requestable'), alanApps, { kind: 'apps' })).toBe('You can request 2 apps (“GitHub”, “GitHub Status”) in Okta; each needs an approver.');
  });

  it('leave_group removes the requester only, once; directory-managed groups are refused', async () => {
    const ada = sandbox.user(ADA).id;
    const others = members('Engineering').filter((id) => id !== ada);
    const out = await runTool(tool('leave_group'), ctx(ADA), { group: 'engineering' });
    expect(out).toMatchObject({ groupName: 'Engineering', userId: ada, changed: true });
    expect(members('Engineering')).toEqual(others);
    expect(summaryOf(tool('leave_group'), out, { group: 'engineering' })).toBe('You are no longer a member of the Okta group “Engineering”.');
    const again = await runTool(tool('leave_group'), ctx(ADA), { group: 'Engineering' });
    expect(summaryOf(tool('leave_group'), again, { group: 'Engineering' })).toBe('You were not a member of the Okta group “Engineering”, so nothing changed.');
    expect(await tool('leave_group').reconcile?.(ctx(ADA), { group: 'Engineering' })).toMatchObject({ status: 'applied' });
    expect(await tool('leave_group').reconcile?.(ctx(ALAN), { group: 'Sales' })).toEqual({ status: 'not_applied' });
    await expect(runTool(tool('leave_group'), ctx(ADA), { group: 'Domain Users' })).rejects.toMatchObject({ code: 'okta_group_not_manageable', userMessage: expect.stringContaining('remove you from it') });
    expect(members('Domain Users')).toContain(ada);
    await expect(runTool(tool('leave_group'), ctx(ADA), { group: 'Astronauts' })).rejects.toMatchObject({ code: 'okta_group_not_found' });
    // The group argument names a group, never a person: the target is always the linked account.
    expect(tool('leave_group').input.safeParse({ group: 'Sales', user: 'alan@acme.test' }).success).toBe(false);
    expect(members('Sales')).toContain(sandbox.user(ALAN).id);
  });

  it('every request and response above matches Okta\'s OpenAPI documents', () => {
    const contract = new OktaContract(SPECS);
    const api = sandbox.exchanges.filter((e) => e.path.startsWith('/api/') || e.path.startsWith('/idp/'));
    expect(api.some((e) => e.method === 'DELETE' && e.path.includes('/users/') && e.status === 204)).toBe(true);
    expect(api.flatMap((e) => contract.check(e))).toEqual([]);
  });
});
