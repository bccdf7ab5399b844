import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { expectOpenApiConformance } from './contract.js';
import { startJiraSandbox, type JiraSandbox } from './sandbox/index.js';
import { TestCredentials, jiraConfig, jiraTool, linkAccount, rejectionOf, runTool, toolContext } from './testSupport.js';

/** Every Jira operation the connector uses, exercised for success, refusal and faults, checked against Atlassian's OpenAPI document. */
const OPERATIONS = [
  'GET /rest/api/3/myself',
  'GET /rest/api/3/user/search',
  'GET /rest/api/3/search/jql',
  'GET /rest/api/3/issue/{issueIdOrKey}',
  'POST /rest/api/3/issue',
  'GET /rest/api/3/issue/{issueIdOrKey}/transitions',
  'POST /rest/api/3/issue/{issueIdOrKey}/transitions',
  'GET /rest/api/3/issue/{issueIdOrKey}/comment',
  'POST /rest/api/3/issue/{issueIdOrKey}/comment',
  'PUT /rest/api/3/issue/{issueIdOrKey}/assignee',
];

describe('jira contract: client requests and sandbox responses match the vendor OpenAPI document', () => {
  let sandbox: JiraSandbox;

  beforeAll(async () => {
    sandbox = await startJiraSandbox({ seed: 99 });
    const config = jiraConfig(sandbox.url);
    const people = { ada: new TestCredentials(config, await linkAccount(config, 'ada@acme.test')), linus: new TestCredentials(config, await linkAccount(config, 'linus@acme.test')) };
    const run = (who: keyof typeof people, name: string, args: unknown) => runTool(jiraTool(config, name), toolContext({ config, credentials: people[who], email: `${who}@acme.test`, idempotencyKey: randomUUID() }), args);
    for (const who of ['ada', 'linus'] as const) {
      await run(who, 'list_my_issues', {});
      await run(who, 'get_issue', { key: 'NET-1' });
      await run(who, 'create_issue', { project: 'HELP', summary: `Contract check by ${who}`, description: 'Line one\nline two', issue_type: 'Story', priority: 'Low' });
      await run(who, 'add_comment', { key: 'HELP-5', comment: 'Contract comment' });
      await rejectionOf(run(who, 'get_issue', { key: who === 'ada' ? 'FIN-1' : 'NOPE-1' }));
    }
    await run('ada', 'transition_issue', { key: 'NET-3', to: 'In Progress' });
    await rejectionOf(run('ada', 'transition_issue', { key: 'NET-5', to: 'Done' }));
    await run('linus', 'assign_issue', { key: 'NET-7', assignee: 'me' });
    await run('linus', 'assign_issue', { key: 'NET-7', assignee: 'grace@acme.test' });
    await rejectionOf(run('ada', 'assign_issue', { key: 'NET-7', assignee: 'me' }));
    await rejectionOf(run('ada', 'create_issue', { project: 'FIN', summary: 'Not allowed' }));
    await rejectionOf(run('ada', 'list_my_issues', { jql: 'project = FIN' }));
    await rejectionOf(run('linus', 'create_issue', { project: 'NET', summary: 'Bad priority', priority: 'Urgent' }));
    sandbox.setFaults({ errorRate: 0.5, retryAfterSeconds: 0 });
    for (let i = 0; i < 6; i++) await run('linus', 'get_issue', { key: `HELP-${i + 1}` }).catch(() => undefined);
    sandbox.setFaults({ rateLimitBurst: 1, errorRate: 0 });
    await run('linus', 'list_my_issues', { limit: 3 });
  });
  afterAll(async () => sandbox.stop());

  it('covers every operation the connector uses, with no violation', () => {
    const { covered } = expectOpenApiConformance(sandbox.exchanges);
    expect([...covered].sort()).toEqual([...OPERATIONS].sort());
    const statuses = new Set(sandbox.exchanges.map((e) => e.status));
    for (const status of [200, 201, 204, 400, 403, 404, 429]) expect(statuses.has(status)).toBe(true);
    expect(sandbox.exchanges.some((e) => e.status >= 500)).toBe(true);
  });
});
