import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { ConnectorInstanceConfig } from '../../src/tools/connector.js';
import { expectOpenApiConformance } from './contract.js';
import { startJiraSandbox, type JiraSandbox } from './sandbox/index.js';
import { accountIdFor } from './sandbox/seed.js';
import { TestCredentials, jiraConfig, jiraTool, linkAccount, rejectionOf, runTool, summaryOf, toolContext } from './testSupport.js';

type Who = 'ada' | 'alan' | 'linus';

/** The everyday Jira actions (issue 13): edit fields, list transitions, watch — as the employee, against the sandbox and the vendor's OpenAPI document. */
describe('jira everyday actions', () => {
  let sandbox: JiraSandbox;
  let config: ConnectorInstanceConfig;
  const people = new Map<Who, TestCredentials>();
  const run = (who: Who, name: string, args: unknown) =>
    runTool(jiraTool(config, name), toolContext({ config, credentials: people.get(who)!, email: `${who}@acme.test`, idempotencyKey: randomUUID() }), args);
  const summary = (name: string, output: unknown, args: unknown) => summaryOf(jiraTool(config, name), output, args);
  const issue = (key: string) => sandbox.state.issue(key)!;

  beforeAll(async () => {
    sandbox = await startJiraSandbox({ seed: 13 });
    config = jiraConfig(sandbox.url);
    for (const who of ['ada', 'alan', 'linus'] as const) people.set(who, new TestCredentials(config, await linkAccount(config, `${who}@acme.test`)));
  });
  afterAll(async () => sandbox.stop());

  it('edit_issue: the assignee changes summary, priority (P-aliases), labels and due date in one edit', async () => {
    const args = { key: 'net-2', summary: 'Replace core switch in rack B3 (weekend window)', priority: 'P2', add_labels: ['hardware', 'weekend'], due_date: '2026-12-24' };
    const out = await run('ada', 'edit_issue', args) as { changed: boolean; labels: string[] };
    expect(out).toMatchObject({ key: 'NET-2', summary: args.summary, priority: 'High', labels: ['hardware', 'weekend'], due_date: '2026-12-24', changed: true });
    expect(issue('NET-2')).toMatchObject({ summary: args.summary, priority: 'High', labels: ['hardware', 'weekend'], duedate: '2026-12-24' });
    expect(summary('edit_issue', out, args)).toBe('Updated Jira issue “NET-2”: summary “Replace core switch in rack B3 (weekend window)”, priority “High”, labels “hardware”, “weekend”, due “2026-12-24”.');
    const again = await run('ada', 'edit_issue', args);
    expect(summary('edit_issue', again, args)).toBe('Jira issue “NET-2” already had what you asked for, so nothing changed.');
    const cleared = await run('ada', 'edit_issue', { key: 'NET-2', remove_labels: ['weekend'], due_date: null }) as { labels: string[]; due_date: string | null };
    expect(cleared).toMatchObject({ labels: ['hardware'], due_date: null });
    expect(issue('NET-2').duedate).toBeNull();
  });

  it('edit_issue: Jira\'s permissions decide; refusals are explained, nothing changes', async () => {
    const before = { ...issue('NET-4') };
    const refused = await rejectionOf(run('ada', 'edit_issue', { key: 'NET-4', priority: 'Highest' }));
    expect(refused).toMatchObject({ code: 'jira_edit_forbidden', userMessage: expect.stringContaining('You cannot edit NET-4 in Jira') });
    expect(issue('NET-4').priority).toBe(before.priority);
    await expect(run('ada', 'edit_issue', { key: 'FIN-1', summary: 'x' })).rejects.toMatchObject({ status: 404 });
    await expect(run('linus', 'edit_issue', { key: 'NET-4', priority: 'Urgent' })).rejects.toMatchObject({ code: 'jira_priority_unknown', userMessage: expect.stringContaining('Highest, High, Medium, Low, Lowest') });
    const byAdmin = await run('linus', 'edit_issue', { key: 'NET-4', priority: 'highest' }) as { priority: string };
    expect(byAdmin.priority).toBe('Highest');
    const input = jiraTool(config, 'edit_issue').input;
    expect(input.safeParse({ key: 'NET-4' }).success).toBe(false);
    expect(input.safeParse({ key: 'NET-4', add_labels: ['two words'] }).success).toBe(false);
    expect(input.safeParse({ key: 'NET-4', due_date: 'next friday' }).success).toBe(false);
  });

  it('list_transitions: what the employee may do next, nothing for someone who may not', async () => {
    const mine = await run('ada', 'list_transitions', { key: 'NET-1' }) as { transitions: { name: string; to: string }[] };
    expect(mine).toMatchObject({ key: 'NET-1', status: 'In Progress', transitions: [{ name: 'Mark Done', to: 'Done' }, { name: 'Stop Progress', to: 'To Do' }] });
    expect(summary('list_transitions', mine, { key: 'NET-1' })).toBe('Jira issue “NET-1” is “In Progress”; it can move to “Done”, “To Do”.');
    const notMine = await run('ada', 'list_transitions', { key: 'NET-5' });
    expect(notMine).toMatchObject({ status: 'In Progress', transitions: [] });
    expect(summary('list_transitions', notMine, { key: 'NET-5' })).toContain('you cannot move it from there');
    await expect(run('alan', 'list_transitions', { key: 'NET-1' })).rejects.toMatchObject({ status: 404 });
  });

  it('watch_issue: adds only the employee, once', async () => {
    const ada = accountIdFor('ada@acme.test');
    expect(issue('NET-4').watchers ?? []).not.toContain(ada);
    const out = await run('ada', 'watch_issue', { key: 'NET-4' }) as { changed: boolean; watchCount: number };
    expect(out).toMatchObject({ key: 'NET-4', watching: true, changed: true });
    expect(issue('NET-4').watchers).toEqual([accountIdFor('grace@acme.test'), ada]);
    expect(summary('watch_issue', out, { key: 'NET-4' })).toBe('You are now watching Jira issue “NET-4”; Jira will notify you of updates.');
    const again = await run('ada', 'watch_issue', { key: 'NET-4' });
    expect(again).toMatchObject({ changed: false, watchCount: 2 });
    expect(summary('watch_issue', again, { key: 'NET-4' })).toBe('You were already watching Jira issue “NET-4”, so nothing changed.');
    await expect(run('alan', 'watch_issue', { key: 'NET-4' })).rejects.toMatchObject({ status: 404 });
  });

  it('the sandbox refuses adding someone else as a watcher without Manage Watchers', async () => {
    const token = sandbox.issueTokenFor('ada@acme.test').accessToken;
    const response = await fetch(`${sandbox.url}/ex/jira/${sandbox.cloudId}/rest/api/3/issue/NET-2/watchers`, {
      method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(accountIdFor('grace@acme.test')),
    });
    expect(response.status).toBe(403);
    expect(issue('NET-2').watchers ?? []).not.toContain(accountIdFor('grace@acme.test'));
  });

  it('every call made above matches Atlassian\'s OpenAPI document', () => {
    const { covered } = expectOpenApiConformance(sandbox.exchanges);
    expect([...covered]).toEqual(expect.arrayContaining([
      'GET /rest/api/3/issue/{issueIdOrKey}/editmeta', 'PUT /rest/api/3/issue/{issueIdOrKey}', 'GET /rest/api/3/issue/{issueIdOrKey}/transitions',
      'GET /rest/api/3/issue/{issueIdOrKey}/watchers', 'POST /rest/api/3/issue/{issueIdOrKey}/watchers',
    ]));
  });
});
