import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import type { ToolDefinition } from '../../src/tools/tool.js';
import { ServiceNowClient } from './client.js';
import { ServiceNowApiError, ServiceNowResponseError } from './errors.js';
import { servicenowConnector } from './index.js';
import { startServiceNowSandbox, type ServiceNowSandbox } from './sandbox/index.js';
import { capturingLogger, linkedUser, runTool, toolByName } from './testSupport.js';

describe('servicenow error paths', () => {
  let sandbox: ServiceNowSandbox;
  let tools: readonly ToolDefinition[];
  let ada: Awaited<ReturnType<typeof linkedUser>>;
  const tool = (name: string): ToolDefinition => toolByName(tools, name);

  beforeAll(async () => {
    sandbox = await startServiceNowSandbox({ seed: 5, burstRetryAfterSeconds: 0 });
    ada = await linkedUser(sandbox, 'ada@acme.test');
    tools = servicenowConnector.tools(ada.config);
  });
  afterAll(async () => sandbox.stop());

  it.each([
    ['create_incident', {}],
    ['create_incident', { short_description: 'VPN down', urgency: 5 }],
    ['create_incident', { short_description: 'VPN down', priority: 'P2' }],
    ['get_incident', { number: 'ABC-12' }],
    ['list_my_incidents', { limit: 500 }],
    ['list_my_incidents', { state: 'closed' }],
    ['add_comment', { number: 'INC0010001', comment: '' }],
    ['resolve_incident', { number: 'INC0010001' }],
    ['search_catalog', { query: 'laptop^active=false' }],
    ['order_catalog_item', { item: 'VPN Access', quantity: 0 }],
    ['order_catalog_item', { item: 'VPN Access', variables: { justification: 3 } }],
  ])('%s rejects %j before any request is sent', async (name, args) => {
    const before = sandbox.requests.length;
    await expect(runTool(tool(name), ada.ctx(), args)).rejects.toBeInstanceOf(z.ZodError);
    expect(sandbox.requests.length).toBe(before);
  });

  it('turns ServiceNow error bodies into typed errors carrying the vendor message', async () => {
    const client = new ServiceNowClient({ baseUrl: sandbox.url, credentials: ada.credentials, logger: capturingLogger().logger });
    const anything = z.unknown();
    const invalid = await client.request({ method: 'GET', path: '/api/now/table/not_a_table', schema: anything }).catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(ServiceNowApiError);
    expect(invalid).toMatchObject({ status: 400, code: 'connector_bad_request', vendorMessage: 'Invalid table not_a_table' });
    const missing = await client.request({ method: 'GET', path: `/api/now/table/incident/${'0'.repeat(32)}`, schema: anything }).catch((e: unknown) => e);
    expect(missing).toMatchObject({ status: 404, code: 'connector_not_found', vendorMessage: 'No Record found', detail: "Record doesn't exist or ACL restricts the record retrieval" });
    const own = sandbox.state.rows('incident').find((r) => r['caller_id'] === sandbox.user('ada@acme.test')['sys_id'] && r['state'] === '1');
    const policy = await client.request({ method: 'PATCH', path: `/api/now/table/incident/${own?.['sys_id']}`, body: { state: '6' }, schema: anything }).catch((e: unknown) => e);
    expect(policy).toMatchObject({ status: 403, message: expect.stringContaining('The following fields are mandatory: Resolution code, Resolution notes') });
    expect((policy as ServiceNowApiError).userMessage).toContain('Resolution code');
    const shape = await client.request({ method: 'GET', path: '/api/now/table/sys_user', query: { sysparm_limit: 1 }, schema: z.object({ result: z.array(z.object({ nonexistent: z.string() })) }) }).catch((e: unknown) => e);
    expect(shape).toBeInstanceOf(ServiceNowResponseError);
  });

  it('never puts an access or refresh token into an error message or a log line', async () => {
    const { logger, lines } = capturingLogger();
    const user = await linkedUser(sandbox, 'ada@acme.test');
    const ctx = (): ReturnType<typeof user.ctx> => user.ctx({ logger });
    const failures: unknown[] = [];
    const attempt = async (name: string, args: unknown): Promise<void> => {
      await runTool(toolByName(servicenowConnector.tools(user.config), name), ctx(), args).catch((e: unknown) => void failures.push(e));
    };
    sandbox.expireAccessTokens('ada@acme.test');
    await attempt('list_my_incidents', {});
    await attempt('get_incident', { number: 'INC0010002' });
    sandbox.setFaults({ errorRate: 0.5, rateLimitBurst: 2 });
    await attempt('search_catalog', { query: 'laptop' });
    await attempt('create_incident', { short_description: 'Badge reader broken' });
    sandbox.resetFaults();
    sandbox.state.refreshTokens.clear();
    sandbox.expireAccessTokens();
    await attempt('list_my_incidents', {});
    expect(failures.length).toBeGreaterThanOrEqual(2);
    expect(lines.length).toBeGreaterThan(3);

    const secrets = [...sandbox.state.accessTokens.keys(), ...sandbox.state.refreshTokens.keys(), user.credentials.tokens.accessToken, user.credentials.tokens.refreshToken ?? '']
      .filter((s) => s.length > 0);
    const text = [
      ...lines,
      ...failures.map((e) => (e instanceof Error ? `${e.message} ${e.stack ?? ''} ${JSON.stringify(e)} ${(e as { userMessage?: string }).userMessage ?? ''}` : String(e))),
    ].join('\n');
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/Bearer [A-Za-z0-9_-]{20,}/);
  });
});
