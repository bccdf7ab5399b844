import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ConnectorInstanceConfig } from '../../src/tools/connector.js';
import { jiraConnector } from './index.js';
import { JiraActionError, JiraApiError } from './errors.js';
import { accountIdFor, startJiraSandbox, type JiraSandbox } from './sandbox/index.js';
import { expectOpenApiConformance } from './contract.js';
import { TestCredentials, jiraConfig, jiraTool, linkAccount, rejectionOf, runTool, toolContext } from './testSupport.js';

/** Every tool as ada (Network Engineer: NET and HELP only) and as linus (Jira administrator). */
describe('jira tools act as the employee, with Jira deciding what each may do', () => {
  let sandbox: JiraSandbox;
  let config: ConnectorInstanceConfig;
  let ada: TestCredentials;
  let linus: TestCredentials;
  const as = (who: 'ada' | 'linus', idempotencyKey?: string) =>
    toolContext({ config, credentials: who === 'ada' ? ada : linus, email: `${who}@acme.test`, ...(idempotencyKey ? { idempotencyKey } : {}) });
  const run = (who: 'ada' | 'linus', name: string, args: unknown, key?: string) => runTool(jiraTool(config, name), as(who, key), args);

  beforeAll(async () => {
    sandbox = await startJiraSandbox({ seed: 7 });
    config = jiraConfig(sandbox.url);
    ada = new TestCredentials(config, await linkAccount(config, 'ada@acme.test'));
    linus = new TestCredentials(config, await linkAccount(config, 'linus@acme.test'));
  });
  afterAll(async () => sandbox.stop());

  it('links accounts through 3LO with the account id and cloud id later calls need', () => {
    expect(ada.tokens.externalUserId).toBe(accountIdFor('ada@acme.test'));
    expect(ada.tokens.metadata['cloud_id']).toBe(sandbox.cloudId);
    expect(ada.tokens.refreshToken).toBeDefined();
    expect(linus.tokens.externalUserId).toBe(accountIdFor('linus@acme.test'));
    const authorize = sandbox.exchanges.find((e) => e.path === '/authorize');
    expect(authorize?.query).toContain('audience=api.atlassian.com');
    expect(authorize?.query).toContain('code_challenge_method=S256');
  });

  it('exposes exactly the catalogued tools with their risk and idempotency', () => {
    const tools = jiraConnector.tools(config);
    expect(tools.map((t) => [t.name, t.risk, t.idempotent])).toEqual([
      ['list_my_issues', 'read', true], ['get_issue', 'read', true], ['create_issue', 'write', false],
      ['add_comment', 'write', false], ['transition_issue', 'write', true], ['assign_issue', 'write', true],
    ]);
    for (const tool of tools.filter((t) => !t.idempotent)) expect(tool.reconcile).toBeDefined();
    expect(jiraTool(config, 'create_issue').describe?.({ project: 'net', summary: 'VPN drops', issue_type: 'Bug' })).toBe('Create a Jira Bug in NET: "VPN drops"');
  });

  it('list_my_issues returns each person their own open issues', async () => {
    const mine = (await run('ada', 'list_my_issues', {})) as { issues: { key: string; assignee: string; statusCategory: string }[] };
    expect(mine.issues.map((i) => i.key).sort()).toEqual(['HELP-5', 'NET-1', 'NET-2', 'NET-3']);
    expect(mine.issues.every((i) => i.assignee === 'Ada Lovelace' && i.statusCategory !== 'Done')).toBe(true);
    const linuses = (await run('linus', 'list_my_issues', {})) as { issues: { key: string }[] };
    expect(linuses.issues.map((i) => i.key)).toEqual(expect.arrayContaining(['FIN-1', 'FIN-2', 'NET-5']));
  });

  it('list_my_issues with JQL: ada cannot search FIN, linus can', async () => {
    const error = await rejectionOf(run('ada', 'list_my_issues', { jql: 'project = FIN' }));
    expect(error).toBeInstanceOf(JiraApiError);
    expect((error as JiraApiError).status).toBe(400);
    expect((error as JiraApiError).message).toContain("The value 'FIN' does not exist for the field 'project'.");
    const fin = (await run('linus', 'list_my_issues', { jql: 'project = FIN ORDER BY key ASC', limit: 2 })) as { issues: { key: string }[]; truncated: boolean };
    expect(fin.issues.map((i) => i.key)).toEqual(['FIN-1', 'FIN-2']);
    expect(fin.truncated).toBe(true);
  });

  it('get_issue: FIN-1 is a 404 for ada and readable for linus', async () => {
    const error = (await rejectionOf(run('ada', 'get_issue', { key: 'FIN-1' }))) as JiraApiError;
    expect([error.status, error.code]).toEqual([404, 'connector_not_found']);
    expect(error.message).toContain('Issue does not exist or you do not have permission to see it.');
    const issue = (await run('linus', 'get_issue', { key: 'fin-1' })) as { key: string; description: string; url: string };
    expect(issue.key).toBe('FIN-1');
    expect(issue.description).toContain('Quarter-end close');
    expect(issue.url).toBe('https://acme.atlassian.net/browse/FIN-1');
  });

  it('create_issue: ada is refused in FIN (403) and files in NET; linus files in FIN', async () => {
    const before = sandbox.state.issues.length;
    const denied = (await rejectionOf(run('ada', 'create_issue', { project: 'FIN', summary: 'Budget sheet broken' }))) as JiraApiError;
    expect([denied.status, denied.code]).toEqual([403, 'connector_forbidden']);
    expect(sandbox.state.issues.length).toBe(before);
    const created = (await run('ada', 'create_issue', { project: 'net', summary: 'VPN drops for the network team', description: 'Drops every 20 minutes.\n\nSince Monday.', issue_type: 'Bug', priority: 'P2' })) as { key: string; url: string };
    expect(created.key).toMatch(/^NET-\d+$/);
    const stored = sandbox.state.issue(created.key);
    expect(stored?.priority).toBe('High');
    expect(stored?.reporterId).toBe(accountIdFor('ada@acme.test'));
    expect(stored?.description).toEqual({ type: 'doc', version: 1, content: [
      { type: 'paragraph', content: [{ type: 'text', text: 'Drops every 20 minutes.' }] },
      { type: 'paragraph', content: [{ type: 'text', text: 'Since Monday.' }] },
    ] });
    const fin = (await run('linus', 'create_issue', { project: 'FIN', summary: 'Budget sheet broken', issue_type: 'Task' })) as { key: string };
    expect(fin.key).toMatch(/^FIN-\d+$/);
  });

  it('add_comment: ada gets 404 on FIN-2; linus comments', async () => {
    const error = (await rejectionOf(run('ada', 'add_comment', { key: 'FIN-2', comment: 'Any update?' }))) as JiraApiError;
    expect(error.status).toBe(404);
    expect(sandbox.state.commentsOn('FIN-2')).toBe(0);
    const out = (await run('linus', 'add_comment', { key: 'FIN-2', comment: 'Looking into it.' })) as { commentId: string; url: string };
    expect(out.url).toContain('/browse/FIN-2?focusedCommentId=');
    expect(sandbox.state.commentsOn('FIN-2')).toBe(1);
    const read = (await run('ada', 'get_issue', { key: 'NET-5' })) as { commentCount: number };
    expect(read.commentCount).toBe(0);
  });

  it("transition_issue: ada cannot move linus's NET-5; linus can; already-there is a no-op", async () => {
    const error = await rejectionOf(run('ada', 'transition_issue', { key: 'NET-5', to: 'Done' }));
    expect(error).toBeInstanceOf(JiraActionError);
    expect((error as JiraActionError).userMessage).toContain('only its assignee or a project administrator');
    expect(sandbox.state.status(sandbox.state.issue('NET-5')!.statusId).name).toBe('In Progress');
    const fin = (await rejectionOf(run('ada', 'transition_issue', { key: 'FIN-1', to: 'Done' }))) as JiraApiError;
    expect(fin.status).toBe(404);
    const moved = (await run('linus', 'transition_issue', { key: 'NET-5', to: 'Done' })) as { from: string; status: string; transition: string; changed: boolean };
    expect(moved).toMatchObject({ from: 'In Progress', status: 'Done', transition: 'Mark Done', changed: true });
    const again = (await run('linus', 'transition_issue', { key: 'NET-5', to: 'done' })) as { changed: boolean };
    expect(again.changed).toBe(false);
    const own = (await run('ada', 'transition_issue', { key: 'NET-2', to: 'Start Progress' })) as { status: string };
    expect(own.status).toBe('In Progress');
    const impossible = (await rejectionOf(run('ada', 'transition_issue', { key: 'NET-3', to: 'Done' }))) as JiraActionError;
    expect(impossible.code).toBe('jira_transition_unavailable');
    expect(impossible.userMessage).toContain('Start Progress');
  });

  it('assign_issue: ada may not assign NET-8 (403); linus assigns it to ada by email; assignees must see the project', async () => {
    const denied = (await rejectionOf(run('ada', 'assign_issue', { key: 'NET-8', assignee: 'me' }))) as JiraApiError;
    expect([denied.status, denied.code]).toEqual([403, 'connector_forbidden']);
    const out = (await run('linus', 'assign_issue', { key: 'NET-8', assignee: 'ada@acme.test' })) as { assignee: string; changed: boolean };
    expect(out).toMatchObject({ assignee: 'Ada Lovelace', changed: true });
    expect(sandbox.state.issue('NET-8')?.assigneeId).toBe(accountIdFor('ada@acme.test'));
    const same = (await run('linus', 'assign_issue', { key: 'NET-8', assignee: 'Ada Lovelace' })) as { changed: boolean };
    expect(same.changed).toBe(false);
    const own = (await run('ada', 'assign_issue', { key: 'NET-8', assignee: 'Grace Hopper' })) as { changed: boolean };
    expect(own.changed).toBe(true);
    const notAssignable = (await rejectionOf(run('linus', 'assign_issue', { key: 'FIN-3', assignee: 'ada@acme.test' }))) as JiraApiError;
    expect(notAssignable.status).toBe(400);
    expect(notAssignable.message).toContain("cannot be assigned issues");
    const missing = (await rejectionOf(run('linus', 'assign_issue', { key: 'FIN-3', assignee: 'nobody@acme.test' }))) as JiraActionError;
    expect(missing.code).toBe('jira_user_not_found');
  });

  it('every request and response of this file matches the Jira OpenAPI document', () => {
    expectOpenApiConformance(sandbox.exchanges);
  });
});
