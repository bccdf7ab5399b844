import { DeterministicPlanner } from '../../src/planner/deterministic/deterministicPlanner.js';
import { matchRequest } from '../../src/planner/deterministic/matcher.js';
import type { SlotEnv } from '../../src/planner/deterministic/types.js';
import type { ConversationTurn } from '../../src/planner/planner.js';
import { routeRequest } from '../../src/planner/router.js';
import { planningContext } from '../support/plannerHarness.js';
import { productTools } from '../support/toolCatalog.js';

const env: SlotEnv = { projectAliases: { network: 'NET' }, facts: {} };
/** The product's original 27 tools: no update, reopen, edit or watch tool among them. */
const tools = productTools();
const user = (content: string): ConversationTurn => ({ role: 'user', content, provenance: 'requester' });
const answer = (content: string, provenance: ConversationTurn['provenance'] = 'derived'): ConversationTurn => ({ role: 'assistant', content, provenance });
const planner = new DeterministicPlanner(async () => env);

describe('follow-ups resolve to the thread\'s recent records', () => {
  test('"add a comment to it" right after creating an incident comments on that incident', async () => {
    const history = [user('open a P2 incident about the VPN drops'), answer('✅ Opened INC0010042: VPN drops.')];
    const decision = await planner.next(planningContext('add a comment to it saying the guest wifi drops too', { history }).ctx);
    expect(decision.kind === 'plan' && decision.plan.steps.map((s) => [s.tool, s.args])).toEqual([['servicenow_add_comment', { number: 'INC0010042', comment: 'guest wifi drops too' }]]);
  });

  test('"assign it to me" after looking up a Jira issue assigns that issue to the requester', () => {
    const history = [user('status of NET-7'), answer('NET-7 (Bug, To Do): DNS flaps, unassigned.')];
    const match = matchRequest('assign it to me', tools, env, history);
    expect(match.kind === 'plan' && match.steps.map((s) => [s.tool, s.args])).toEqual([['jira_assign_issue', { key: 'NET-7', assignee: 'me' }]]);
  });

  test('typed references pick the record of that system; ordinals count in the listing', () => {
    const history = [user('open an incident and a jira bug for the vpn'), answer('✅ Opened INC0010060: VPN drops.\n✅ Created NET-41: VPN drops.')];
    expect(matchRequest('assign the jira issue to me', tools, env, history)).toMatchObject({ kind: 'plan', steps: [{ tool: 'jira_assign_issue', args: { key: 'NET-41' } }] });
    expect(matchRequest('comment on the incident saying network is on it', tools, env, history)).toMatchObject({ kind: 'plan', steps: [{ tool: 'servicenow_add_comment', args: { number: 'INC0010060' } }] });
    const listing = [user('my jira issues'), answer('NET-12 DNS timeouts, HELP-3 SSO loop')];
    expect(matchRequest('move the second one to Done', tools, env, listing)).toMatchObject({ kind: 'plan', steps: [{ tool: 'jira_transition_issue', args: { key: 'HELP-3', to: 'Done' } }] });
  });

  test('"it" inside a compound request is the earlier clause\'s record', () => {
    expect(matchRequest('assign NET-4 to me and move it to In Progress', tools, env)).toMatchObject({
      kind: 'plan', steps: [{ tool: 'jira_assign_issue', args: { key: 'NET-4' } }, { tool: 'jira_transition_issue', args: { key: 'NET-4', to: 'In Progress' } }],
    });
  });

  test('with nothing to point at, a bare command gets a targeted question, not the generic help', () => {
    for (const request of ['close it', 'escalate', 'assign it to me', 'make it a P1']) {
      const match = matchRequest(request, tools, env, [user('what is the weather'), answer('I did not recognise that request.', 'assistant')]);
      expect(match).toMatchObject({ kind: 'clarify' });
      if (match.kind === 'clarify') expect(match.question).toMatch(/incident number.*Jira key/);
    }
  });

  test('a record named only by untrusted text makes the plan untrusted (its writes then need approval); the requester\'s own words do not', async () => {
    const fromAnswer = await planner.next(planningContext('assign it to me', { history: [user('status of NET-7'), answer('NET-7: DNS flaps.', 'derived')] }).ctx);
    expect(fromAnswer).toMatchObject({ kind: 'plan', derivedFromToolOutput: true, untrustedInput: true });
    const fromOtherPerson = await planner.next(planningContext('assign it to me', { history: [{ role: 'user', content: 'look at NET-9', provenance: 'other_person' }] }).ctx);
    expect(fromOtherPerson).toMatchObject({ kind: 'plan', derivedFromToolOutput: true });
    const ownWords = await planner.next(planningContext('assign it to me', { history: [user('status of NET-7'), answer('Looking it up.', 'assistant')] }).ctx);
    expect(ownWords.kind).toBe('plan');
    expect(ownWords).not.toHaveProperty('derivedFromToolOutput');
  });
});

describe('never substitute an action, never apply someone else\'s request to the requester', () => {
  test.each([
    ['make INC0010001 a P1', /can't change the priority.*INC0010001.*haven't changed anything/],
    ['change the priority of NET-12 to Highest', /can't edit the fields of NET-12/],
    ['escalate INC0010002', /can't escalate INC0010002.*haven't changed anything/],
    ['reopen INC0010003, still broken', /can't reopen INC0010003/],
    ['where is my laptop order?', /can't look up the status of catalog orders/],
    ['delete NET-9', /can't delete NET-9/],
  ])('no tool for "%s": an honest answer, never a read in its place', async (request, says) => {
    const decision = await planner.next(planningContext(request, { tools }).ctx);
    expect(decision.kind).toBe('answer');
    if (decision.kind === 'answer') expect(decision.text).toMatch(says);
    expect(routeRequest({ request, tools, match: matchRequest(request, tools, env), hasModels: true }).tier).toBe('deterministic');
  });

  test.each([
    "reset grace's password, she's locked out",
    'unlock Bob\'s okta account',
    'my colleague forgot her password, reset it for her',
    'reset the MFA for my manager',
    'reset password for Linus',
  ])('"%s" is refused, never applied to the requester', (request) => {
    const match = matchRequest(request, tools, env);
    expect(match.kind).toBe('answer');
    if (match.kind === 'answer') expect(match.text).toMatch(/only act on your own Okta account/);
  });

  test('"hand NET-7 over to someone else" asks who, never assigns to "someone else"', () => {
    const match = matchRequest('hand NET-7 over to someone else', tools, env);
    expect(match).toMatchObject({ kind: 'clarify', question: expect.stringMatching(/Who should NET-7 be assigned to/) });
  });

  test('a question about a board is not a create; bare "account" is not Salesforce', () => {
    expect(matchRequest("what's open on the NET board?", tools, env).kind).toBe('none');
    expect(matchRequest('any open bugs in HELP?', tools, env).kind).toBe('none');
    expect(matchRequest('my account is locked', tools, env)).toMatchObject({ kind: 'plan', steps: [{ tool: 'okta_unlock_my_account' }] });
    expect(matchRequest('is my account active?', tools, env)).toMatchObject({ kind: 'plan', steps: [{ tool: 'okta_get_my_profile' }] });
  });

  test('a read-only intent never stands in for a requested change', () => {
    for (const request of ['cancel INC0010003 please', 'archive NET-3', 'merge INC0010001 into INC0010002']) {
      const match = matchRequest(request, tools, env);
      expect(match.kind).toBe('answer');
    }
  });
});
