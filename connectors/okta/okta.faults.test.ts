import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { isSwitchboardError } from '../../src/core/errors.js';
import type { ConnectorInstanceConfig } from '../../src/tools/connector.js';
import type { ToolDefinition } from '../../src/tools/tool.js';
import { oktaConnector, oktaTools } from './index.js';
import { startOktaSandbox, type OktaSandbox } from './sandbox/index.js';
import { linkAccount, oktaTestConfig, runTool, TestCredentials, toolByName, toolContext } from './testSupport.js';

const READS = ['get_my_profile', 'list_my_groups', 'list_my_apps'];

describe('okta under injected faults', () => {
  let sandbox: OktaSandbox;
  let config: ConnectorInstanceConfig;
  const creds: Record<string, TestCredentials> = {};

  beforeAll(async () => {
    sandbox = await startOktaSandbox({ seed: 2024 });
    config = oktaTestConfig(sandbox, { options: { timeoutMs: '2000', maxRateLimitWaitMs: '2000', maxAttempts: '6' } });
    for (const email of ['ada@acme.test', 'alan@acme.test', 'grace@acme.test']) creds[email] = new TestCredentials(config, await linkAccount(config, email));
  });
  afterAll(() => sandbox.stop());

  const ctx = (email: string) => toolContext({ config, credentials: creds[email] as TestCredentials, email });
  const tool = (name: string): ToolDefinition => toolByName(oktaConnector.tools(config), name);

  /** The engine's rule: a failed non-idempotent write is reconciled, never repeated blindly. */
  async function runWrite(name: string, email: string, args: Record<string, unknown>): Promise<string> {
    for (let attempt = 0; attempt < 8; attempt += 1) {
      try {
        await runTool(tool(name), ctx(email), args);
        return attempt === 0 ? 'done' : 'done after not_applied';
      } catch (error) {
        expect(isSwitchboardError(error)).toBe(true);
        const check = await tool(name).reconcile?.(ctx(email), args).catch(() => ({ status: 'unknown' as const }));
        if (check?.status === 'applied') return 'reconciled';
        if (check?.status === 'unknown') continue;
      }
    }
    return 'gave up';
  }

  it('with 30% 5xx and 429 bursts, reads succeed or fail typed, and writes land exactly once', async () => {
    sandbox.setFaults({ errorRate: 0.3, rateLimitBurst: 2 });
    const outcomes: string[] = [];
    for (let round = 0; round < 3; round += 1) {
      if (round === 2) sandbox.setFaults({ rateLimitBurst: 1 });
      for (const name of READS) {
        for (const email of Object.keys(creds)) {
          try {
            await runTool(tool(name), ctx(email), {});
            outcomes.push('ok');
          } catch (error) {
            expect(isSwitchboardError(error)).toBe(true);
            outcomes.push((error as { code: string }).code);
          }
        }
      }
    }
    console.log(`okta reads under faults: ${outcomes.filter((o) => o === 'ok').length}/${outcomes.length} ok`, [...new Set(outcomes)]);
    expect(outcomes.filter((o) => o === 'ok').length).toBeGreaterThan(outcomes.length / 2);
    expect(sandbox.exchanges.some((e) => e.faultInjected && e.status === 429)).toBe(true);
    expect(sandbox.exchanges.some((e) => e.faultInjected && e.status === 500)).toBe(true);

    // Writes go through a harsher patch so the failed-then-reconciled path is exercised too.
    sandbox.setFaults({ errorRate: 0.5 });
    const results = [
      await runWrite('reset_my_password', 'alan@acme.test', {}),
      await runWrite('reset_my_password', 'grace@acme.test', {}),
      await runWrite('unlock_my_account', 'ada@acme.test', {}),
      await runWrite('reset_my_mfa', 'grace@acme.test', {}),
      await runWrite('request_group_membership', 'alan@acme.test', { group: 'VPN Users' }),
      await runWrite('request_app_access', 'grace@acme.test', { app: 'Salesforce' }),
    ];
    sandbox.resetFaults();
    console.log('okta writes under faults:', results);
    expect(results).not.toContain('gave up');
    expect(results).toContain('done after not_applied');
    const id = (email: string) => sandbox.user(email).id;
    expect(sandbox.state.count('user.account.reset_password', id('alan@acme.test'))).toBe(1);
    expect(sandbox.state.count('user.account.reset_password', id('grace@acme.test'))).toBe(1);
    expect(sandbox.state.count('user.account.unlock', id('ada@acme.test'))).toBe(1);
    expect(sandbox.state.count('user.mfa.factor.reset_all', id('grace@acme.test'))).toBe(1);
    expect(sandbox.state.count('group.user_membership.add', id('alan@acme.test'))).toBe(1);
    expect(sandbox.state.count('application.user_membership.add', id('grace@acme.test'))).toBe(1);
    // Non-idempotent lifecycle POSTs are never retried inside the client.
    const lifecyclePosts = sandbox.exchanges.filter((e) => e.method === 'POST' && e.path.includes('/lifecycle/'));
    const applied = lifecyclePosts.filter((e) => !e.faultInjected && e.status === 200).length;
    expect(applied).toBe(4);
  });

  it('a write whose response is lost is found by reconcile and not repeated', async () => {
    const email = 'margaret@acme.test';
    const credentials = new TestCredentials(config, await linkAccount(config, email));
    // The request reaches Okta and is applied; only the answer is lost on the way back.
    const lossy: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (init?.method === 'POST' && String(input).includes('/lifecycle/reset_password')) throw new TypeError('fetch failed: socket hang up');
      return response;
    };
    const lossyTool = toolByName(oktaTools(config, { fetch: lossy }), 'reset_my_password');
    const context = toolContext({ config, credentials, email, idempotencyKey: 'idem-reset-margaret' });
    await expect(runTool(lossyTool, context, {})).rejects.toThrow('socket hang up');
    expect(sandbox.state.count('user.account.reset_password', sandbox.user(email).id)).toBe(1);

    const check = await tool('reset_my_password').reconcile?.(context, {});
    expect(check).toMatchObject({ status: 'applied', output: { status: 'RECOVERY', userId: sandbox.user(email).id } });
    expect(sandbox.state.count('user.account.reset_password', sandbox.user(email).id)).toBe(1);
    expect(sandbox.state.count('system.email.password_reset.sent_message', sandbox.user(email).id)).toBe(1);
  });
});
