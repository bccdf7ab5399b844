import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { SwitchboardError } from '../../src/core/errors.js';
import type { ConnectorInstanceConfig } from '../../src/tools/connector.js';
import { ConnectorTimeoutError } from '../shared/errors.js';
import { createLogger } from '../../src/core/logger.js';
import { SalesforceClient } from './client.js';
import { SalesforceApiError, SalesforceRateLimitError } from './errors.js';
import { salesforceTools } from './index.js';
import { startSalesforceSandbox, type SalesforceSandbox } from './sandbox/index.js';
import { issuedCredentials, runTool, salesforceTestConfig, toolByName, toolContext, type TestCredentials } from './testSupport.js';

let sandbox: SalesforceSandbox;
let config: ConnectorInstanceConfig;
let alan: TestCredentials;
const ALAN = 'alan@acme.test';

beforeAll(async () => {
  sandbox = await startSalesforceSandbox({ seed: 1234, queryBatchSize: 2 });
  config = salesforceTestConfig(sandbox);
  alan = issuedCredentials(sandbox, config, ALAN);
});

afterEach(() => sandbox.resetFaults());

afterAll(async () => {
  await sandbox.stop();
});

const tool = (name: string, cfg = config): ReturnType<typeof toolByName> => toolByName(salesforceTools(cfg), name);
const casesWithKey = (key: string): number => sandbox.state.rows('Case').filter((r) => r['Switchboard_Key__c'] === key).length;

async function outcome(promise: Promise<unknown>): Promise<'ok' | SwitchboardError> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    if (error instanceof SwitchboardError) return error;
    throw error;
  }
}

describe('with 30% injected 5xx and REQUEST_LIMIT_EXCEEDED bursts (seeded)', () => {
  it('every read succeeds after retries or ends in a typed error', async () => {
    sandbox.setFaults({ errorRate: 0.3, rateLimitBurst: 3 });
    const reads: [string, unknown][] = [
      ['find_accounts', { name: 'o' }], ['find_opportunities', {}], ['find_cases', { account: 'globex' }],
      ['find_opportunities', { account: 'ACME' }], ['find_cases', {}], ['find_accounts', { name: 'Globex' }],
    ];
    const results: ('ok' | SwitchboardError)[] = [];
    for (let round = 0; round < 3; round += 1) {
      for (const [name, args] of reads) results.push(await outcome(runTool(tool(name), toolContext({ config, credentials: alan, email: ALAN }), args)));
    }
    const injected = sandbox.exchanges.filter((e) => e.faultInjected);
    expect(injected.some((e) => e.status === 500)).toBe(true);
    expect(injected.some((e) => e.status === 403)).toBe(true);
    for (const result of results) if (result !== 'ok') expect(result.retryable).toBe(true);
    expect(results.filter((r) => r === 'ok').length).toBeGreaterThan(results.length / 2);
    console.log(`faulty reads: ${results.filter((r) => r === 'ok').length}/${results.length} succeeded, ${injected.length} injected faults`);
  });

  it('creates exactly one case per idempotency key however often the upsert is retried', async () => {
    sandbox.setFaults({ errorRate: 0.3, rateLimitBurst: 2 });
    const keys = Array.from({ length: 6 }, (_, i) => `fault-key-${i}-${'f'.repeat(40)}`);
    for (const key of keys) {
      const ctx = toolContext({ config, credentials: alan, email: ALAN, idempotencyKey: key });
      let result = await outcome(runTool(tool('create_case'), ctx, { subject: `Faulty ${key.slice(0, 11)}`, account: 'Globex' }));
      // The engine re-runs an idempotent step that failed transiently; the upsert keeps it single.
      if (result !== 'ok') result = await outcome(runTool(tool('create_case'), ctx, { subject: `Faulty ${key.slice(0, 11)}`, account: 'Globex' }));
      expect(casesWithKey(key)).toBeLessThanOrEqual(1);
    }
    sandbox.resetFaults();
    for (const key of keys) {
      await runTool(tool('create_case'), toolContext({ config, credentials: alan, email: ALAN, idempotencyKey: key }), { subject: `Faulty ${key.slice(0, 11)}`, account: 'Globex' });
      expect(casesWithKey(key)).toBe(1);
    }
  });

  it('a write whose response is lost is found by reconcile and not repeated', async () => {
    const noRetry = salesforceTestConfig(sandbox, { options: { timeoutMs: '2000', maxAttempts: '1' } });
    const key = `lost-${'a'.repeat(59)}`;
    const ctx = toolContext({ config: noRetry, credentials: alan, email: ALAN, idempotencyKey: key });
    const create = tool('create_case', noRetry);
    const args = create.input.parse({ subject: 'Pallets arrived damaged', account: 'ACME Corp', priority: 'High' });
    expect(await create.reconcile?.(ctx, args)).toEqual({ status: 'not_applied' });

    sandbox.setFaults({ dropWriteResponses: 1 });
    const lost = await outcome(create.execute(ctx, args));
    expect(lost).toBeInstanceOf(SalesforceApiError);
    expect(lost).toMatchObject({ status: 500, vendorCode: 'UNKNOWN_EXCEPTION', retryable: true });
    expect(casesWithKey(key)).toBe(1);

    const found = await create.reconcile?.(ctx, args);
    expect(found).toMatchObject({ status: 'applied', output: { subject: 'Pallets arrived damaged', priority: 'High', account: 'ACME Corp' } });
    const writesBefore = sandbox.state.writes.filter((w) => w.kind === 'create').length;
    await create.execute(ctx, args);
    expect(casesWithKey(key)).toBe(1);
    expect(sandbox.state.writes.filter((w) => w.kind === 'create').length).toBe(writesBefore);
  });

  it('a stage change whose response is lost reconciles as applied', async () => {
    const noRetry = salesforceTestConfig(sandbox, { options: { timeoutMs: '2000', maxAttempts: '1' } });
    const ctx = toolContext({ config: noRetry, credentials: alan, email: ALAN });
    const update = tool('update_opportunity_stage', noRetry);
    const args = update.input.parse({ opportunity: 'Wayne Enterprises - Security Audit', stage: 'Needs Analysis' });
    expect(await update.reconcile?.(ctx, args)).toEqual({ status: 'not_applied' });
    sandbox.setFaults({ dropWriteResponses: 1 });
    expect(await outcome(update.execute(ctx, args))).toBeInstanceOf(SalesforceApiError);
    expect(await update.reconcile?.(ctx, args)).toMatchObject({ status: 'applied', output: { stage: 'Needs Analysis', probability: 20 } });
  });
});

describe('limits, timeouts and cancellation', () => {
  it('the spent daily allowance is REQUEST_LIMIT_EXCEEDED and is not retried', async () => {
    const small = await startSalesforceSandbox({ dailyApiLimit: 2 });
    try {
      const cfg = salesforceTestConfig(small);
      const credentials = issuedCredentials(small, cfg, ALAN);
      const find = toolByName(salesforceTools(cfg), 'find_accounts');
      await runTool(find, toolContext({ config: cfg, credentials, email: ALAN }), { name: 'ACME' });
      await runTool(find, toolContext({ config: cfg, credentials, email: ALAN }), { name: 'ACME' });
      const before = small.exchanges.length;
      const error = await outcome(runTool(find, toolContext({ config: cfg, credentials, email: ALAN }), { name: 'ACME' }));
      expect(error).toBeInstanceOf(SalesforceRateLimitError);
      expect(error).toMatchObject({ status: 403, vendorCode: 'REQUEST_LIMIT_EXCEEDED', dailyLimitReached: true, code: 'connector_rate_limited' });
      expect((error as SwitchboardError).message).toContain('TotalRequests Limit exceeded.');
      expect(small.exchanges.length - before).toBe(1);
      expect(small.exchanges.at(-1)?.responseHeaders['Sforce-Limit-Info']).toBe('api-usage=2/2');
    } finally {
      await small.stop();
    }
  });

  it('a non-idempotent request is not retried on a limit burst', async () => {
    const client = new SalesforceClient({ baseUrl: config.baseUrl, credentials: alan, logger: createLogger({ level: 'silent' }) });
    const cases = sandbox.state.rows('Case').length;
    sandbox.setFaults({ rateLimitBurst: 1 });
    const error = await outcome(client.request({ method: 'POST', path: '/sobjects/Case', body: { Subject: 'Plain create' } }));
    expect(error).toBeInstanceOf(SalesforceRateLimitError);
    expect(error).toMatchObject({ dailyLimitReached: false });
    expect(sandbox.state.rows('Case').length).toBe(cases);
  });

  it('a slow answer becomes ConnectorTimeoutError within the configured timeout', async () => {
    const slow = salesforceTestConfig(sandbox, { options: { timeoutMs: '100', maxAttempts: '2', deadlineMs: '1000' } });
    sandbox.setFaults({ latencyMs: 400 });
    const error = await outcome(runTool(tool('find_accounts', slow), toolContext({ config: slow, credentials: alan, email: ALAN }), { name: 'ACME' }));
    expect(error).toBeInstanceOf(ConnectorTimeoutError);
    expect((error as SwitchboardError).message).toContain('100 ms');
  });

  it('an aborted run stops the call with the abort reason', async () => {
    const controller = new AbortController();
    controller.abort(new Error('run cancelled'));
    const result = runTool(tool('find_accounts'), toolContext({ config, credentials: alan, email: ALAN, signal: controller.signal }), { name: 'ACME' });
    await expect(result).rejects.toThrow('run cancelled');
  });
});
