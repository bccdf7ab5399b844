import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { isSwitchboardError } from '../../src/core/errors.js';
import { createLogger } from '../../src/core/logger.js';
import type { ConnectorInstanceConfig } from '../../src/tools/connector.js';
import { textToAdf } from './adf.js';
import { JiraApi } from './api.js';
import { JiraClient } from './client.js';
import { expectOpenApiConformance } from './contract.js';
import { JiraApiError, JiraTimeoutError } from './errors.js';
import { idempotencyLabel, idempotencyPropertyValue } from './idempotency.js';
import { startJiraSandbox, type JiraSandbox } from './sandbox/index.js';
import { TestCredentials, jiraConfig, jiraTool, linkAccount, rejectionOf, runTool, toolContext } from './testSupport.js';

describe('jira under injected 5xx and 429 bursts: reads recover or fail typed, writes never double', () => {
  let sandbox: JiraSandbox;
  let config: ConnectorInstanceConfig;
  let linus: TestCredentials;
  const ctx = (key?: string) => toolContext({ config, credentials: linus, email: 'linus@acme.test', ...(key ? { idempotencyKey: key } : {}) });

  beforeAll(async () => {
    sandbox = await startJiraSandbox({ seed: 20240601 });
    config = jiraConfig(sandbox.url);
    linus = new TestCredentials(config, await linkAccount(config, 'linus@acme.test'));
  });
  afterEach(() => sandbox.resetFaults());
  afterAll(async () => sandbox.stop());

  it('every read succeeds or fails with a typed error', async () => {
    sandbox.setFaults({ errorRate: 0.3, retryAfterSeconds: 0 });
    const outcomes = { ok: 0, typed: 0, faults: 0 };
    const before = sandbox.exchanges.length;
    for (let i = 0; i < 30; i++) {
      if (i % 10 === 0) sandbox.setFaults({ rateLimitBurst: 2 });
      const [name, args] = i % 2 === 0 ? ['list_my_issues', {}] : ['get_issue', { key: `HELP-${(i % 6) + 1}` }];
      try {
        await runTool(jiraTool(config, name), ctx(), args);
        outcomes.ok += 1;
      } catch (error) {
        expect(isSwitchboardError(error)).toBe(true);
        outcomes.typed += 1;
      }
    }
    outcomes.faults = sandbox.exchanges.slice(before).filter((e) => e.faultInjected).length;
    console.log(`jira reads under 30% 5xx + 429 bursts: ${JSON.stringify(outcomes)}`);
    expect(outcomes.faults).toBeGreaterThan(5);
    expect(outcomes.ok + outcomes.typed).toBe(30);
    expect(outcomes.ok).toBeGreaterThan(25);
  });

  it('creates and comments under faults exactly once per idempotency key', async () => {
    sandbox.setFaults({ errorRate: 0.3, retryAfterSeconds: 0 });
    const keys: string[] = [];
    let failures = 0;
    for (let i = 0; i < 10; i++) {
      const key = randomUUID();
      keys.push(key);
      if (i % 4 === 0) sandbox.setFaults({ rateLimitBurst: 2 });
      try {
        await runTool(jiraTool(config, 'create_issue'), ctx(key), { project: 'HELP', summary: `Printer ${i} jammed` });
        await runTool(jiraTool(config, 'add_comment'), ctx(`${key}-c`), { key: 'HELP-1', comment: `Update ${i}` });
      } catch (error) {
        expect(isSwitchboardError(error)).toBe(true);
        failures += 1;
      }
    }
    sandbox.resetFaults();
    for (const key of keys) {
      expect(sandbox.state.issuesWithLabel(idempotencyLabel(key)).length).toBeLessThanOrEqual(1);
      const comments = sandbox.state.issue('HELP-1')!.comments.filter((c) => (c.properties.get('switchboard.idempotency') as { key: string } | undefined)?.key === `${key}-c`);
      expect(comments.length).toBeLessThanOrEqual(1);
      // Repeating the same call (as a resumed run would) returns the same issue and creates nothing new.
      const again = (await runTool(jiraTool(config, 'create_issue'), ctx(key), { project: 'HELP', summary: 'Printer jammed' })) as { key: string };
      expect(sandbox.state.issuesWithLabel(idempotencyLabel(key)).map((i) => i.key)).toEqual([again.key]);
    }
    console.log(`jira writes under 30% 5xx: ${10 - failures}/10 create+comment pairs completed in the first pass`);
  });

  it('a create whose response was lost is found by reconcile and never repeated', async () => {
    const key = randomUUID();
    const tool = jiraTool(config, 'create_issue');
    const args = { project: 'NET', summary: 'Core switch fan failure' };
    expect(await tool.reconcile!(ctx(key), args)).toEqual({ status: 'not_applied' });
    // The call reaches Jira but the answer never comes back: the client gives up first.
    sandbox.setFaults({ latencyMs: 300, pathPrefix: `/ex/jira/${sandbox.cloudId}/rest/api/3/issue` });
    const impatient = new JiraApi(new JiraClient({ config, credentials: linus, logger: createLogger({ level: 'silent' }), timeoutMs: 50 }));
    const lost = await rejectionOf(impatient.createIssue({ projectKey: 'NET', summary: args.summary, issueType: 'Task', labels: [idempotencyLabel(key)] }, idempotencyPropertyValue(key, 'run', 'step')));
    expect(lost).toBeInstanceOf(JiraTimeoutError);
    while (!sandbox.exchanges.some((e) => e.method === 'POST' && e.status === 201 && e.requestBody !== undefined && JSON.stringify(e.requestBody).includes(key))) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    sandbox.resetFaults();
    const reconciled = await tool.reconcile!(ctx(key), args);
    expect(reconciled.status).toBe('applied');
    const created = sandbox.state.issuesWithLabel(idempotencyLabel(key));
    expect(created).toHaveLength(1);
    expect(reconciled).toMatchObject({ output: { key: created[0]!.key } });
    const rerun = (await runTool(tool, ctx(key), args)) as { key: string };
    expect(rerun.key).toBe(created[0]!.key);
    expect(sandbox.state.issuesWithLabel(idempotencyLabel(key))).toHaveLength(1);
  });

  it('a comment whose response was lost is found by reconcile', async () => {
    const key = randomUUID();
    const tool = jiraTool(config, 'add_comment');
    sandbox.setFaults({ latencyMs: 300, pathPrefix: `/ex/jira/${sandbox.cloudId}/rest/api/3/issue/NET-4/comment` });
    const impatient = new JiraApi(new JiraClient({ config, credentials: linus, logger: createLogger({ level: 'silent' }), timeoutMs: 50 }));
    await rejectionOf(impatient.addComment('NET-4', textToAdf('Fan replaced'), idempotencyPropertyValue(key, 'run', 'step')));
    while (sandbox.state.commentsOn('NET-4') === 0) await new Promise((resolve) => setImmediate(resolve));
    sandbox.resetFaults();
    expect(await tool.reconcile!(ctx(key), { key: 'NET-4', comment: 'Fan replaced' })).toMatchObject({ status: 'applied' });
    await runTool(tool, ctx(key), { key: 'NET-4', comment: 'Fan replaced' });
    expect(sandbox.state.commentsOn('NET-4')).toBe(1);
  });

  it('a bare non-idempotent POST surfaces a 5xx instead of retrying it', async () => {
    sandbox.setFaults({ errorRate: 1 });
    const client = new JiraClient({ config, credentials: linus, logger: createLogger({ level: 'silent' }) });
    const before = sandbox.requests.length;
    const error = (await rejectionOf(client.request({ method: 'POST', path: '/issue/NET-4/comment', body: { body: textToAdf('x') } }))) as JiraApiError;
    expect(error.status).toBeGreaterThanOrEqual(500);
    expect(error.retryable).toBe(true);
    expect(sandbox.requests.length - before).toBe(1);
  });

  it('honours Retry-After on a 429 burst for reads', async () => {
    sandbox.setFaults({ rateLimitBurst: 1, retryAfterSeconds: 1 });
    const started = Date.now();
    const out = (await runTool(jiraTool(config, 'get_issue'), ctx(), { key: 'NET-1' })) as { key: string };
    const waited = Date.now() - started;
    expect(out.key).toBe('NET-1');
    const last = sandbox.exchanges.slice(-2);
    expect(last.map((e) => e.status)).toEqual([429, 200]);
    expect(last[0]!.responseHeaders['retry-after']).toBe('1');
    console.log(`jira get_issue after a 429 with Retry-After: 1 took ${waited} ms`);
  });

  it('pages through /search/jql with nextPageToken', async () => {
    const api = new JiraApi(new JiraClient({ config, credentials: linus, logger: createLogger({ level: 'silent' }) }));
    const keys: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await api.search({ jql: 'project = HELP ORDER BY key ASC', maxResults: 3, ...(token ? { nextPageToken: token } : {}) });
      keys.push(...page.issues.map((i) => i.key ?? ''));
      token = page.nextPageToken;
      pages += 1;
      if (page.isLast) expect(token).toBeUndefined();
    } while (token);
    const expected = sandbox.state.issues.filter((i) => i.projectKey === 'HELP').map((i) => i.key);
    expect(keys.sort()).toEqual(expected.sort());
    expect(pages).toBe(Math.ceil(expected.length / 3));
  });

  it('conforms to the Jira OpenAPI document, faults included', () => {
    expectOpenApiConformance(sandbox.exchanges);
  });
});
