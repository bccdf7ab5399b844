import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ConnectorInstanceConfig } from '../../src/tools/connector.js';
import { JiraClient } from './client.js';
import { JiraContract, expectOpenApiConformance } from './contract.js';
import { JiraApiError } from './errors.js';
import { jiraOAuth } from './oauth.js';
import { startJiraSandbox, type JiraSandbox } from './sandbox/index.js';
import { TestCredentials, captureLogger, jiraConfig, jiraTool, linkAccount, rejectionOf, runTool, toolContext } from './testSupport.js';

describe('jira error paths: bad input, vendor errors, and no token anywhere', () => {
  let sandbox: JiraSandbox;
  let config: ConnectorInstanceConfig;
  let ada: TestCredentials;
  const capture = captureLogger();
  const errors: unknown[] = [];
  const ctx = () => toolContext({ config, credentials: ada, email: 'ada@acme.test', logger: capture.logger });
  const failing = async (name: string, args: unknown): Promise<JiraApiError> => {
    const error = await rejectionOf(runTool(jiraTool(config, name), ctx(), args));
    errors.push(error);
    return error as JiraApiError;
  };

  beforeAll(async () => {
    sandbox = await startJiraSandbox();
    config = jiraConfig(sandbox.url);
    ada = new TestCredentials(config, await linkAccount(config, 'ada@acme.test'));
  });
  afterAll(async () => sandbox.stop());

  it.each([
    ['create_issue', { project: 'NET' }],
    ['create_issue', { project: 'NET', summary: 'x', issue_type: 'Epic' }],
    ['create_issue', { project: 'not a key!', summary: 'x' }],
    ['get_issue', { key: 'NET 12' }],
    ['list_my_issues', { limit: 1000 }],
    ['add_comment', { key: 'NET-1', comment: '' }],
    ['transition_issue', { key: 'NET-1' }],
    ['assign_issue', { key: 'NET-1', assignee: 42 }],
  ])('%s rejects %j before any request', async (name, args) => {
    const before = sandbox.requests.length;
    const error = await rejectionOf(runTool(jiraTool(config, name), ctx(), args));
    expect((error as Error).name).toBe('ZodError');
    expect(sandbox.requests.length).toBe(before);
  });

  it("turns Jira's field errors into a typed error carrying Jira's words", async () => {
    const error = await failing('create_issue', { project: 'NET', summary: 'Switch down', priority: 'Urgent' });
    expect(error).toBeInstanceOf(JiraApiError);
    expect([error.status, error.code]).toEqual([400, 'connector_bad_request']);
    expect(error.fieldErrors).toEqual({ priority: 'The priority selected is invalid.' });
    expect(error.userMessage).toBe('Jira rejected the request: The priority selected is invalid.');
  });

  it('reports JQL errors and unbounded queries as Jira words them', async () => {
    const bad = await failing('list_my_issues', { jql: 'flavour = vanilla' });
    expect(bad.message).toContain("Field 'flavour' does not exist or you do not have permission to view it.");
    const unbounded = await failing('list_my_issues', { jql: 'ORDER BY key DESC' });
    expect(unbounded.errorMessages).toEqual(['Unbounded JQL queries are not allowed here. Please add a search restriction to your query.']);
  });

  it('the sandbox rejects startAt on POST /search/jql and non-ADF descriptions, as Jira does', async () => {
    const client = new JiraClient({ config, credentials: ada, logger: capture.logger });
    const startAt = (await rejectionOf(client.request({ method: 'POST', path: '/search/jql', body: { jql: 'project = NET', startAt: 0 }, idempotent: true }))) as JiraApiError;
    expect(startAt.errorMessages[0]).toContain('Invalid request payload');
    const plain = (await rejectionOf(client.request({ method: 'POST', path: '/issue', body: { fields: { project: { key: 'NET' }, issuetype: { name: 'Task' }, summary: 's', description: 'plain text' } } }))) as JiraApiError;
    expect(plain.fieldErrors['description']).toContain('Atlassian Document');
    errors.push(startAt, plain);
  });

  it('a revoked grant surfaces as a typed error asking to reconnect', async () => {
    const doomed = new TestCredentials(config, await linkAccount(config, 'ada@acme.test'));
    await jiraOAuth.refresh(config, { refreshToken: doomed.tokens.refreshToken ?? '' });
    await doomed.invalidate();
    const error = await rejectionOf(runTool(jiraTool(config, 'get_issue'), toolContext({ config, credentials: doomed, email: 'ada@acme.test', logger: capture.logger }), { key: 'NET-1' }));
    errors.push(error);
    expect((error as JiraApiError).vendorCode).toBe('invalid_grant');
  });

  it('no access or refresh token appears in any error or log line', async () => {
    sandbox.advanceClock(7200);
    await runTool(jiraTool(config, 'get_issue'), ctx(), { key: 'NET-1' });
    const secrets = [...sandbox.state.accessTokens.keys(), ...sandbox.state.refreshTokens.keys()];
    expect(secrets.length).toBeGreaterThan(4);
    expect(capture.lines.length).toBeGreaterThan(5);
    expect(errors.length).toBeGreaterThan(4);
    const haystack = [
      ...capture.lines,
      ...errors.map((e) => `${String(e)} ${JSON.stringify(e)} ${(e as { userMessage?: string }).userMessage ?? ''} ${(e as Error).stack ?? ''}`),
    ].join('\n');
    for (const secret of secrets) expect(haystack.includes(secret)).toBe(false);
    expect(haystack).toContain('Unbounded JQL');
  });

  it('the contract checker catches shapes Jira would never send', () => {
    const contract = new JiraContract();
    const bad = contract.check([
      { method: 'POST', path: `/ex/jira/x/rest/api/3/issue`, query: '', requestBody: { fields: {} }, status: 201, responseHeaders: {}, responseBody: { id: 1, key: 'NET-1', extra: true }, faultInjected: false },
      { method: 'GET', path: `/ex/jira/x/rest/api/3/issue/NET-1`, query: '?fieldz=a', requestBody: undefined, status: 418, responseHeaders: {}, responseBody: {}, faultInjected: false },
      { method: 'GET', path: `/ex/jira/x/rest/api/3/nonsense`, query: '', requestBody: undefined, status: 200, responseHeaders: {}, responseBody: {}, faultInjected: false },
    ]);
    expect(bad.violations.join('\n')).toMatch(/must be string|additional properties/);
    expect(bad.violations.join('\n')).toContain("query parameter 'fieldz' is not declared");
    expect(bad.violations.join('\n')).toContain('status 418 is not declared');
    expect(bad.violations.join('\n')).toContain('no such operation');
  });

  it('conforms to the Jira OpenAPI document (apart from the deliberately malformed startAt request)', () => {
    const deliberate = sandbox.exchanges.filter((e) => JSON.stringify(e.requestBody ?? {}).includes('"startAt"'));
    expect(deliberate).toHaveLength(1);
    expect(() => expectOpenApiConformance(deliberate)).toThrow(/additional properties/);
    expectOpenApiConformance(sandbox.exchanges.filter((e) => !deliberate.includes(e)));
  });
});
