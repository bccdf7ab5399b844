import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ConnectorInstanceConfig } from '../../src/tools/connector.js';
import { jiraConnector } from './index.js';
import { JiraActionError, JiraApiError } from './errors.js';
import { accountIdFor, startJiraSandbox, type JiraSandbox } from './sandbox/index.js';
import { expectOpenApiConformance } from './contract.js';
import { TestCredentials, jiraConfig, jiraTool, linkAccount, rejectionOf, runTool, summaryOf, toolContext } from './testSupport.js';

/** Every tool as ada (Network Engineer: NET and HELP only) and as linus (Jira administrator). */
describe('jira tools act as the employee, with Jira deciding what each may do', () => {
  let sandbox: JiraSandbox;
  let config: ConnectorInstanceConfig;
  let ada: TestCredentials;
  let linus: TestCredentials;
  const as = (who: 'ada' | 'linus', idempotencyKey?: string) =>
    toolContext({ config, credentials: who === 'ada' ? ada : linus, email: `${who}@acme.test`, ...(idempotencyKey ? { idempotencyKey } : {}) });
  const run = (who: 'ada' | 'linus', name: string, args: unknown, key?: string) => runTool(jiraTool(config, name), as(who, key), args);
  const summary = (name: string, output: unknown, args: unknown) => summaryOf(jiraTool(config, name), output, args);

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
      ['edit_issue', 'write', true], ['list_transitions', 'read', true], ['watch_issue', 'write', true],
    ]);
    for (const tool of tools.filter((t) => !t.idempotent)) expect(tool.reconcile).toBeDefined();
    // Every change says in its own words what happened; of the reads only the single issue does (lists read better as bullets).
    expect(tools.filter((t) => t.summarize).map((t) => t.name)).toEqual(['get_issue', 'create_issue', 'add_comment', 'transition_issue', 'assign_issue', 'edit_issue', 'list_transitions', 'watch_issue']);
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
    expect(summary('get_issue', issue, { key: 'fin-1' }))
      .toBe('Jira task “FIN-1” (“Quarter-end close: reconcile vendor ledger”) is “In Progress”, priority “High”, assigned to “Linus Torvalds”.');
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
    expect(summary('create_issue', created, { project: 'net', summary: 'VPN drops for the network team', issue_type: 'Bug', priority: 'P2' }))
      .toBe(`Created Jira bug “${created.key}” with priority “High”: “VPN drops for the network team”.`);
    const fin = (await run('linus', 'create_issue', { project: 'FIN', summary: 'Budget sheet broken', issue_type: 'Task' })) as { key: string };
    expect(fin.key).toMatch(/^FIN-\d+$/);
    expect(summary('create_issue', fin, { project: 'FIN', summary: 'Budget sheet broken', issue_type: 'Task' })).toBe(`Created Jira task “${fin.key}”: “Budget sheet broken”.`);
  });

  it('the sentences quote what Jira stored: markup and mentions in an issue cannot shape the reply', async () => {
    const args = { project: 'NET', summary: '*VPN* drops <@U123> `now`|click', issue_type: 'Story' };
    const created = (await run('ada', 'create_issue', args)) as { key: string };
    expect(sandbox.state.issue(created.key)?.summary).toBe(args.summary);
    expect(summary('create_issue', created, args)).toBe(`Created Jira story “${created.key}”: “VPN drops @U123 nowclick”.`);
    const comment = { key: created.key, comment: '_see_ <!here> ~please~' };
    const commented = await run('ada', 'add_comment', comment);
    expect(summary('add_comment', commented, comment)).toBe(`Added your comment “see !here please” to Jira issue “${created.key}”.`);
    const read = await run('ada', 'get_issue', { key: created.key });
    expect(summary('get_issue', read, { key: created.key }))
      .toBe(`Jira story “${created.key}” (“VPN drops @U123 nowclick”) is “To Do”, priority “Medium”, unassigned; latest comment by “Ada Lovelace”: “see !here please”.`);
  });

  it('add_comment: ada gets 404 on FIN-2; linus comments', async () => {
    const error = (await rejectionOf(run('ada', 'add_comment', { key: 'FIN-2', comment: 'Any update?' }))) as JiraApiError;
    expect(error.status).toBe(404);
    expect(sandbox.state.commentsOn('FIN-2')).toBe(0);
    const out = (await run('linus', 'add_comment', { key: 'FIN-2', comment: 'Looking into it.' })) as { commentId: string; url: string };
    expect(out.url).toContain('/browse/FIN-2?focusedCommentId=');
    expect(summary('add_comment', out, { key: 'FIN-2', comment: 'Looking into it.' })).toBe('Added your comment “Looking into it.” to Jira issue “FIN-2”.');
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
    expect(summary('transition_issue', moved, { key: 'NET-5', to: 'Done' })).toBe('Moved Jira issue “NET-5” from “In Progress” to “Done”.');
    expect(summary('transition_issue', again, { key: 'NET-5', to: 'done' })).toBe('Jira issue “NET-5” was already “Done”, so nothing changed.');
    expect(summary('transition_issue', own, { key: 'NET-2', to: 'Start Progress' })).toBe('Moved Jira issue “NET-2” from “To Do” to “In Progress”.');
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
    expect(summary('assign_issue', out, { key: 'NET-8', assignee: 'ada@acme.test' })).toBe('Assigned Jira issue “NET-8” to “Ada Lovelace”.');
    expect(summary('assign_issue', same, { key: 'NET-8', assignee: 'Ada Lovelace' })).toBe('Jira issue “NET-8” was already assigned to “Ada Lovelace”, so nothing changed.');
    expect(summary('assign_issue', own, { key: 'NET-8', assignee: 'Grace Hopper' })).toBe('Assigned Jira issue “NET-8” to “Grace Hopper”.');
    const mine = await run('linus', 'assign_issue', { key: 'NET-8', assignee: 'me' });
    expect(summary('assign_issue', mine, { key: 'NET-8', assignee: 'me' })).toBe('Assigned Jira issue “NET-8” to you (“Linus Torvalds”).');
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
