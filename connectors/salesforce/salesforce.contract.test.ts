import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { z } from 'zod';
import type { ConnectorInstanceConfig } from '../../src/tools/connector.js';
import { API_PREFIX } from './constants.js';
import { salesforceTools } from './index.js';
import { parseSoql } from './sandbox/soqlParser.js';
import { startSalesforceSandbox, type SalesforceSandbox } from './sandbox/index.js';
import {
  sfCaseUpsertBodySchema, sfDescribeSchema, sfErrorBodySchema, sfOpportunityStageBodySchema, sfQueryResponseSchema, sfRecordSchema,
  sfSaveResultSchema, sfTokenErrorSchema, sfTokenRequestSchema, sfTokenResponseSchema, sfUserInfoSchema, sfVersionsSchema, SFORCE_LIMIT_INFO_PATTERN,
} from './schemas.js';
import { linkAccount, runTool, salesforceTestConfig, TestCredentials, toolByName, toolContext } from './testSupport.js';

/**
 * Both directions against the wire shapes of connectors.md §3: every request the client sent and
 * every response the sandbox gave during a run of every action (including errors, paging, retries).
 */
let sandbox: SalesforceSandbox;
let config: ConnectorInstanceConfig;

beforeAll(async () => {
  sandbox = await startSalesforceSandbox({ seed: 99, queryBatchSize: 2 });
  config = salesforceTestConfig(sandbox);
  const tools = salesforceTools(config);
  for (const email of ['ada@acme.test', 'linus@acme.test']) {
    const credentials = new TestCredentials(config, await linkAccount(config, email));
    const run = async (name: string, args: unknown): Promise<void> => {
      await runTool(toolByName(tools, name), toolContext({ config, credentials, email }), args).catch(() => undefined);
    };
    const acme = String(sandbox.state.rows('Account').find((r) => r['Name'] === 'ACME Corp')?.['Id']);
    await run('find_accounts', { name: 'ACME' });
    await run('find_opportunities', { account: 'Globex' });
    await run('find_opportunities', {});
    await run('find_cases', { status: 'New' });
    await run('get_record', { object: 'Account', id: acme });
    await run('create_case', { subject: 'Contract check', description: 'Body shape', account: 'ACME Corp', priority: 'Low' });
    await run('create_case', { subject: 'Contract check without account' });
    await run('update_opportunity_stage', { opportunity: 'Initech - TPS Automation', stage: 'Perception Analysis' });
    sandbox.expireAccessTokens(email);
    await run('find_cases', {});
    sandbox.setFaults({ rateLimitBurst: 1, errorRate: 0.2 });
    await run('find_accounts', { name: 'Globex' });
    sandbox.resetFaults();
  }
  await fetch(`${sandbox.url}/services/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=refresh_token&refresh_token=nope&client_id=switchboard&client_secret=sandbox-secret' });
  await fetch(`${sandbox.instanceUrl}/services/data/`);
});

afterAll(async () => {
  await sandbox.stop();
});

function responseSchema(method: string, path: string, status: number): z.ZodType | 'empty' | undefined {
  if (path === '/services/oauth2/token') return status === 200 ? sfTokenResponseSchema : sfTokenErrorSchema;
  if (path === '/services/oauth2/userinfo') return sfUserInfoSchema;
  if (path === '/services/oauth2/authorize') return undefined;
  if (path === '/services/data' || path === '/services/data/') return sfVersionsSchema;
  if (!path.startsWith(API_PREFIX)) return undefined;
  if (status >= 400) return sfErrorBodySchema;
  const rest = path.slice(API_PREFIX.length);
  if (rest === '/query' || rest.startsWith('/query/')) return sfQueryResponseSchema;
  if (rest.endsWith('/describe')) return sfDescribeSchema;
  const segments = rest.split('/').filter(Boolean);
  if (method === 'PATCH' && segments.length === 4) return sfSaveResultSchema;
  if (method === 'PATCH' && segments.length === 3) return 'empty';
  if (method === 'GET' && segments[0] === 'sobjects' && segments.length === 3) return sfRecordSchema;
  return undefined;
}

describe('Salesforce wire contract', () => {
  it('covers every resource the connector uses, including errors and paging', () => {
    const seen = new Set(sandbox.exchanges.map((e) => `${e.method} ${e.path.replace(/\/(?:[A-Za-z0-9]{15,18}|01g[^/]+)$/, '/:id').replace(/Switchboard_Key__c\/.*/, 'Switchboard_Key__c/:key')} ${e.status}`));
    for (const expected of [
      'GET /services/oauth2/authorize 302', 'POST /services/oauth2/token 200', 'POST /services/oauth2/token 400', 'GET /services/oauth2/userinfo 200',
      `GET ${API_PREFIX}/query 200`, `GET ${API_PREFIX}/query/:id 200`, `GET ${API_PREFIX}/sobjects/Account/:id 200`, `GET ${API_PREFIX}/sobjects/Account/:id 404`,
      `PATCH ${API_PREFIX}/sobjects/Case/Switchboard_Key__c/:key 201`, `GET ${API_PREFIX}/sobjects/Opportunity/describe 200`,
      `PATCH ${API_PREFIX}/sobjects/Opportunity/:id 204`, `GET ${API_PREFIX}/query 401`, `GET ${API_PREFIX}/query 403`,
    ]) expect(seen).toContain(expected);
  });

  it('every response matches its documented shape and every REST answer carries Sforce-Limit-Info', () => {
    let checked = 0;
    for (const exchange of sandbox.exchanges) {
      const schema = responseSchema(exchange.method, exchange.path, exchange.status);
      if (schema === 'empty') {
        expect({ path: exchange.path, body: exchange.responseBody }).toEqual({ path: exchange.path, body: undefined });
      } else if (schema) {
        const parsed = schema.safeParse(exchange.responseBody);
        if (!parsed.success) throw new Error(`${exchange.method} ${exchange.path} ${exchange.status}: ${parsed.error.message}`);
      }
      if (exchange.path.startsWith(API_PREFIX)) {
        expect(exchange.responseHeaders['Sforce-Limit-Info']).toMatch(SFORCE_LIMIT_INFO_PATTERN);
        if (exchange.status === 403) expect(exchange.responseBody).toEqual([expect.objectContaining({ errorCode: expect.stringMatching(/REQUEST_LIMIT_EXCEEDED|INSUFFICIENT_ACCESS/) })]);
      }
      checked += 1;
    }
    expect(checked).toBeGreaterThan(40);
  });

  it('every request the client sent matches its documented shape', () => {
    const apiRequests = sandbox.requests.filter((r) => r.path.startsWith(API_PREFIX));
    expect(apiRequests.length).toBeGreaterThan(20);
    for (const request of apiRequests) expect(request.headers.authorization).toMatch(/^Bearer \S+$/);
    for (const exchange of sandbox.exchanges) {
      const rest = exchange.path.slice(API_PREFIX.length);
      if (exchange.path === '/services/oauth2/token' && exchange.requestBody && (exchange.requestBody as Record<string, string>)['refresh_token'] !== 'nope') {
        expect(sfTokenRequestSchema.safeParse(exchange.requestBody).success).toBe(true);
      }
      if (exchange.method === 'PATCH' && rest.startsWith('/sobjects/Case/Switchboard_Key__c/')) {
        expect(sfCaseUpsertBodySchema.parse(exchange.requestBody)).toBeDefined();
        expect(rest.split('/').at(-1)).toMatch(/^[A-Za-z0-9]{8,255}$/);
      }
      if (exchange.method === 'PATCH' && /^\/sobjects\/Opportunity\/[A-Za-z0-9]{18}$/.test(rest)) expect(sfOpportunityStageBodySchema.parse(exchange.requestBody)).toBeDefined();
      if (rest === '/query') {
        const soql = new URLSearchParams(exchange.query).get('q') ?? '';
        expect(() => parseSoql(soql)).not.toThrow();
      }
      if (exchange.method === 'GET') expect(exchange.requestBody).toBeUndefined();
    }
  });
});
