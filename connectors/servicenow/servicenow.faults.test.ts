import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { SwitchboardError } from '../../src/core/errors.js';
import type { ToolDefinition } from '../../src/tools/tool.js';
import { ConnectorTimeoutError } from '../shared/errors.js';
import { journalRef } from './actions/context.js';
import { ServiceNowRateLimitError, ServiceNowUnverifiedWriteError } from './errors.js';
import { servicenowConnector } from './index.js';
import { startServiceNowSandbox, type ServiceNowSandbox } from './sandbox/index.js';
import { linkedUser, runTool, toolByName } from './testSupport.js';

/** Outcome of one call: its output, or the typed error it failed with (anything else fails the test). */
async function settle(call: Promise<unknown>): Promise<{ ok: true; value: unknown } | { ok: false; error: SwitchboardError }> {
  try {
    return { ok: true, value: await call };
  } catch (error) {
    if (!(error instanceof SwitchboardError)) throw error;
    return { ok: false, error };
  }
}

describe('servicenow under injected faults', () => {
  let sandbox: ServiceNowSandbox;
  let ada: Awaited<ReturnType<typeof linkedUser>>;
  let tools: readonly ToolDefinition[];
  const tool = (name: string): ToolDefinition => toolByName(tools, name);
  const incidentsWith = (key: string): number => sandbox.state.count('incident', (r) => r['correlation_id'] === key);
  const journalWith = (ref: string): number => sandbox.state.count('sys_journal_field', (r) => r['value']?.includes(ref) ?? false);

  beforeAll(async () => {
    sandbox = await startServiceNowSandbox({ seed: 11, burstRetryAfterSeconds: 0 });
    ada = await linkedUser(sandbox, 'ada@acme.test', { maxAttempts: '6' });
    tools = servicenowConnector.tools(ada.config);
  });
  afterEach(() => {
    sandbox.resetFaults();
    sandbox.loseResponses(0);
  });
  afterAll(async () => sandbox.stop());

  it('with 30% 5xx and 429 bursts every read succeeds or fails typed, and no write is doubled', async () => {
    sandbox.setFaults({ errorRate: 0.3, rateLimitBurst: 2 });
    const reads: Promise<unknown>[] = [];
    for (let i = 0; i < 6; i += 1) {
      if (i % 2 === 0) sandbox.setFaults({ rateLimitBurst: 2 });
      reads.push(runTool(tool('list_my_incidents'), ada.ctx(), { state: 'all' }), runTool(tool('search_catalog'), ada.ctx(), { query: 'laptop' }));
    }
    const readOutcomes = await Promise.all(reads.map(settle));
    expect(readOutcomes.filter((o) => o.ok).length).toBeGreaterThan(readOutcomes.length / 2);

    const keys = Array.from({ length: 8 }, (_, i) => `fault-create-${i}`.padEnd(32, 'x'));
    const creates = await Promise.all(keys.map((key, i) => settle(runTool(tool('create_incident'), ada.ctx({ idempotencyKey: key }), { short_description: `Flaky ${i}` }))));
    const commentKeys = Array.from({ length: 5 }, (_, i) => `fault-comment-${i}`.padEnd(32, 'y'));
    const number = sandbox.state.rows('incident').find((r) => r['caller_id'] === sandbox.user('ada@acme.test')['sys_id'])?.['number'] ?? '';
    const comments = await Promise.all(commentKeys.map((key, i) => settle(runTool(tool('add_comment'), ada.ctx({ idempotencyKey: key }), { number, comment: `update ${i}` }))));
    const injected = sandbox.exchanges.filter((e) => e.faultInjected);
    expect(injected.some((e) => e.status === 429)).toBe(true);
    expect(injected.some((e) => e.status === 500)).toBe(true);

    for (const [i, key] of keys.entries()) expect(incidentsWith(key)).toBe(creates[i]?.ok ? 1 : Math.min(1, incidentsWith(key)));
    for (const key of commentKeys) expect(journalWith(journalRef(key))).toBeLessThanOrEqual(1);

    // The engine repeats an unfinished step with the same key: each write lands exactly once.
    sandbox.resetFaults();
    for (const [i, key] of keys.entries()) await runTool(tool('create_incident'), ada.ctx({ idempotencyKey: key }), { short_description: `Flaky ${i}` });
    for (const [i, key] of commentKeys.entries()) await runTool(tool('add_comment'), ada.ctx({ idempotencyKey: key }), { number, comment: `update ${i}` });
    for (const key of keys) expect(incidentsWith(key)).toBe(1);
    for (const key of commentKeys) expect(journalWith(journalRef(key))).toBe(1);
    expect(comments.length).toBe(5);
  });

  it('a create whose response was lost is found by reconcile and never repeated', async () => {
    const once = await linkedUser(sandbox, 'ada@acme.test', { maxAttempts: '1' });
    const create = toolByName(servicenowConnector.tools(once.config), 'create_incident');
    const ctx = once.ctx({ idempotencyKey: 'lost-response-create-0000000001' });
    sandbox.loseResponses(1, { method: 'POST', pathPrefix: '/api/now/table/incident' });
    await expect(runTool(create, ctx, { short_description: 'Printer on fire' })).rejects.toMatchObject({ status: 502 });
    expect(incidentsWith(ctx.idempotencyKey)).toBe(1);
    const reconciled = await create.reconcile?.(ctx, create.input.parse({ short_description: 'Printer on fire' }));
    expect(reconciled).toMatchObject({ status: 'applied', output: { number: sandbox.state.rows('incident').find((r) => r['correlation_id'] === ctx.idempotencyKey)?.['number'] } });
    await runTool(create, ctx, { short_description: 'Printer on fire' });
    expect(incidentsWith(ctx.idempotencyKey)).toBe(1);
    const fresh = once.ctx({ idempotencyKey: 'never-sent-key-000000000000000001' });
    await expect(create.reconcile?.(fresh, create.input.parse({ short_description: 'Never sent' }))).resolves.toEqual({ status: 'not_applied' });
  });

  it('retries of a lost create, comment and order marker read back first instead of writing twice', async () => {
    const key = 'lost-response-create-0000000002';
    sandbox.loseResponses(1, { method: 'POST', pathPrefix: '/api/now/table/incident' });
    const created = await runTool(tool('create_incident'), ada.ctx({ idempotencyKey: key }), { short_description: 'Monitor flickers' }) as { number: string };
    expect(incidentsWith(key)).toBe(1);

    sandbox.loseResponses(1, { method: 'PATCH', pathPrefix: '/api/now/table/incident' });
    const commented = await runTool(tool('add_comment'), ada.ctx({ idempotencyKey: 'lost-comment-00000000000000001' }), { number: created.number, comment: 'Also on HDMI' }) as { ref: string };
    expect(journalWith(commented.ref)).toBe(1);
    const addComment = tool('add_comment');
    await expect(addComment.reconcile?.(ada.ctx({ idempotencyKey: 'lost-comment-00000000000000001' }), addComment.input.parse({ number: created.number, comment: 'Also on HDMI' })))
      .resolves.toMatchObject({ status: 'applied', output: { ref: commented.ref } });

    const ritmsBefore = sandbox.state.count('sc_req_item');
    sandbox.loseResponses(1, { method: 'PATCH', pathPrefix: '/api/now/table/sc_req_item' });
    const ordered = await runTool(tool('order_catalog_item'), ada.ctx({ idempotencyKey: 'lost-marker-000000000000000001' }), { item: 'Software License', variables: { software_name: 'Wireshark' } }) as { item_number: string };
    expect(sandbox.state.count('sc_req_item')).toBe(ritmsBefore + 1);
    const ritm = sandbox.state.rows('sc_req_item').find((r) => r['number'] === ordered.item_number);
    expect(sandbox.state.journalOf(ritm?.['sys_id'] ?? '')).toHaveLength(1);
  });

  it('an order whose response was lost is never placed twice: reported unverified, reconcile says unknown', async () => {
    const order = tool('order_catalog_item');
    const args = { item: 'Developer Laptop', variables: {} };
    const ctx = ada.ctx({ idempotencyKey: 'lost-order-0000000000000000001' });
    const before = sandbox.state.count('sc_req_item');
    sandbox.loseResponses(1, { method: 'POST', pathPrefix: '/api/sn_sc' });
    await expect(runTool(order, ctx, args)).rejects.toBeInstanceOf(ServiceNowUnverifiedWriteError);
    expect(sandbox.state.count('sc_req_item')).toBe(before + 1);
    await expect(order.reconcile?.(ctx, order.input.parse(args))).resolves.toEqual({ status: 'unknown' });
    await expect(order.reconcile?.(ada.ctx(), order.input.parse({ item: 'Standard Laptop' }))).resolves.toEqual({ status: 'not_applied' });
  });

  it('a slow instance makes reads fail with a typed timeout; a timed-out create is settled by reconcile', async () => {
    const slow = await linkedUser(sandbox, 'ada@acme.test', { timeoutMs: '50', maxAttempts: '2' });
    const slowTools = servicenowConnector.tools(slow.config);
    sandbox.setFaults({ latencyMs: 250 });
    await expect(runTool(toolByName(slowTools, 'search_catalog'), slow.ctx(), { query: 'vpn' })).rejects.toBeInstanceOf(ConnectorTimeoutError);
    const create = toolByName(slowTools, 'create_incident');
    const ctx = slow.ctx({ idempotencyKey: 'timed-out-create-00000000000001' });
    // The lookup before the write times out first: nothing was sent, nothing is created.
    await expect(runTool(create, ctx, { short_description: 'Slow' })).rejects.toBeInstanceOf(ConnectorTimeoutError);
    sandbox.resetFaults();
    await expect(create.reconcile?.(ctx, create.input.parse({ short_description: 'Slow' }))).resolves.toEqual({ status: 'not_applied' });
  });

  it('a rate-limit rule answers 429 with Retry-After and X-RateLimit-* headers; a long wait surfaces typed', async () => {
    const limited = await startServiceNowSandbox({ seed: 12, rateLimitPerHour: 4 });
    try {
      const user = await linkedUser(limited, 'ada@acme.test');
      const search = toolByName(servicenowConnector.tools(user.config), 'search_catalog');
      // Linking already spent one call (the sys_user lookup); three searches use up the hour.
      for (let i = 0; i < 3; i += 1) await runTool(search, user.ctx(), { query: 'vpn' });
      const error = await runTool(search, user.ctx(), { query: 'vpn' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ServiceNowRateLimitError);
      expect(error).toMatchObject({ limitPerHour: 4, rule: expect.stringMatching(/^[0-9a-f]{32}$/), message: expect.stringContaining('Rate limit of 4 requests per hour') });
      expect((error as ServiceNowRateLimitError).retryAfterMs).toBeGreaterThan(0);
      const last = limited.exchanges.at(-1);
      expect(last?.responseHeaders).toMatchObject({ 'retry-after': expect.any(String), 'x-ratelimit-limit': '4', 'x-ratelimit-reset': expect.any(String) });
    } finally {
      await limited.stop();
    }
  });
});
