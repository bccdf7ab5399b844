import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createLogger } from '../../src/core/logger.js';
import type { ConnectorInstanceConfig } from '../../src/tools/connector.js';
import { OktaClient } from './client.js';
import { oktaConnector } from './index.js';
import { OktaContract } from './openapiContract.js';
import { startOktaSandbox, type OktaSandbox } from './sandbox/index.js';
import { linkAccount, oktaTestConfig, runTool, TestCredentials, toolByName, toolContext } from './testSupport.js';

const SPECS = {
  'okta-management': '/work/shared/specs/okta-management.openapi.yaml',
  'okta-myaccount': '/work/shared/specs/okta-myaccount.openapi.yaml',
};

/** Drives every Okta operation the connector uses (successes, refusals, faults) and records the traffic. */
async function exercise(sandbox: OktaSandbox, config: ConnectorInstanceConfig): Promise<void> {
  const tools = oktaConnector.tools(config);
  const tool = (name: string) => toolByName(tools, name);
  const args: Record<string, Record<string, string>> = { request_group_membership: { group: 'VPN Users' }, request_app_access: { app: 'Salesforce' } };
  const domainUsers = [...sandbox.state.groups.values()].find((g) => g.name === 'Domain Users')?.id ?? '';
  for (const email of ['ada@acme.test', 'linus@acme.test']) {
    const credentials = new TestCredentials(config, await linkAccount(config, email));
    const ctx = toolContext({ config, credentials, email });
    for (const t of tools) {
      await runTool(t, ctx, args[t.name] ?? {}).catch(() => undefined);
      await t.reconcile?.(ctx, args[t.name] ?? {});
    }
    await runTool(tool('request_group_membership'), ctx, { group: 'Domain Users' }).catch(() => undefined);
    const client = new OktaClient({ baseUrl: sandbox.url, credentials, logger: createLogger({ level: 'silent' }), maxAttempts: 1 });
    const attempts = [
      client.request({ method: 'GET', path: '/idp/myaccount/profile', auth: 'user', accept: 'application/json; okta-version=1.0.0' }),
      client.request({ method: 'GET', path: `/api/v1/users/${sandbox.user('alan@acme.test').id}`, auth: 'user' }),
      client.request({ method: 'GET', path: '/api/v1/groups', query: { q: 'Sales' }, auth: 'user' }),
      client.request({ method: 'POST', path: `/api/v1/users/${sandbox.user('alan@acme.test').id}/lifecycle/unlock`, auth: 'service' }),
      client.request({ method: 'GET', path: '/api/v1/users/00unobody00000000000', auth: 'service' }),
      client.request({ method: 'PUT', path: `/api/v1/groups/${domainUsers}/users/${sandbox.user(email).id}`, auth: 'service' }),
    ];
    await Promise.allSettled(attempts);
  }
  sandbox.setFaults({ errorRate: 0.5, rateLimitBurst: 1 });
  const credentials = new TestCredentials(config, await linkAccount(config, 'grace@acme.test'));
  await runTool(tool('list_my_groups'), toolContext({ config, credentials, email: 'grace@acme.test' }), {}).catch(() => undefined);
  sandbox.resetFaults();
}

describe('okta traffic against the vendor OpenAPI documents', () => {
  let sandbox: OktaSandbox;
  let contract: OktaContract;

  beforeAll(async () => {
    contract = new OktaContract(SPECS);
    sandbox = await startOktaSandbox({ seed: 99 });
    await exercise(sandbox, oktaTestConfig(sandbox));
  });
  afterAll(() => sandbox.stop());

  it('every request and response of every Okta API operation used matches the spec', () => {
    const api = sandbox.exchanges.filter((e) => e.path.startsWith('/api/') || e.path.startsWith('/idp/'));
    const operations = new Set(api.map((e) => `${e.method} ${e.path.replace(/\/(00u|00g|0oa)[A-Za-z0-9]{17}/g, '/{id}')}`));
    console.log(`okta contract: ${api.length} exchanges over ${operations.size} operations, statuses ${[...new Set(api.map((e) => e.status))].sort().join(',')}`);
    expect(operations.size).toBeGreaterThanOrEqual(12);
    for (const status of [200, 204, 400, 403, 404, 429, 500]) expect(api.some((e) => e.status === status)).toBe(true);
    const problems = api.flatMap((e) => contract.check(e));
    expect(problems).toEqual([]);
  });

  it('every API answer carries the X-Rate-Limit headers', () => {
    const api = sandbox.exchanges.filter((e) => (e.path.startsWith('/api/') || e.path.startsWith('/idp/')) && !(e.faultInjected && e.status !== 429));
    for (const e of api) {
      expect(Object.keys(e.responseHeaders)).toEqual(expect.arrayContaining(['x-rate-limit-limit', 'x-rate-limit-remaining', 'x-rate-limit-reset']));
    }
  });

  it('the checker itself rejects traffic that breaks the spec', () => {
    const sample = sandbox.exchanges.find((e) => e.path === '/api/v1/users/me' && e.status === 200);
    expect(sample).toBeDefined();
    if (!sample) return;
    expect(contract.check({ ...sample, responseBody: { ...(sample.responseBody as object), status: 'HAPPY' } })).not.toEqual([]);
    expect(contract.check({ ...sample, query: '?bogus=1' })).not.toEqual([]);
    expect(contract.check({ ...sample, path: '/api/v1/nowhere' })).not.toEqual([]);
    expect(contract.check({ ...sample, status: 403, responseBody: { errorCode: 6, errorSummary: 'nope' } })).not.toEqual([]);
  });
});
