import { DeterministicPlanner } from '../../src/planner/deterministic/deterministicPlanner.js';
import { matchRequest } from '../../src/planner/deterministic/matcher.js';
import type { SlotEnv } from '../../src/planner/deterministic/types.js';
import { planningContext } from '../support/plannerHarness.js';
import { productTools } from '../support/toolCatalog.js';

const tools = productTools();
const env: SlotEnv = { projectAliases: { network: 'NET', 'help desk': 'HELP', finance: 'FIN' }, facts: {} };

type Row = [phrase: string, tool: string, args: Record<string, unknown>];

const table: Record<string, Row[]> = {
  'reset password': [
    ['reset my Okta password', 'okta_reset_my_password', {}],
    ['I forgot my password', 'okta_reset_my_password', {}],
    ['can you reset my password please?', 'okta_reset_my_password', {}],
    ['my password expired, I need a new password', 'okta_reset_my_password', {}],
    ['password reset', 'okta_reset_my_password', {}],
    ['Need to change my okta pwd', 'okta_reset_my_password', {}],
  ],
  unlock: [
    ['unlock my account', 'okta_unlock_my_account', {}],
    ["I'm locked out of Okta", 'okta_unlock_my_account', {}],
    ['my account is locked', 'okta_unlock_my_account', {}],
    ['please unlock me', 'okta_unlock_my_account', {}],
    ['Okta locked me out after too many tries', 'okta_unlock_my_account', {}],
  ],
  'okta profile': [
    ['show my okta profile', 'okta_get_my_profile', {}],
    ['who am I in okta', 'okta_get_my_profile', {}],
    ['what is my okta account status', 'okta_get_my_profile', {}],
    ['is my okta account active?', 'okta_get_my_profile', {}],
    ['details of my okta account please', 'okta_get_my_profile', {}],
  ],
  'reset mfa': [
    ['reset my MFA', 'okta_reset_my_mfa', {}],
    ['I lost my phone, reset my 2FA', 'okta_reset_my_mfa', {}],
    ['new phone - need to set up Okta Verify again', 'okta_reset_my_mfa', {}],
    ['reset two-factor authentication', 'okta_reset_my_mfa', {}],
    ['my authenticator app is gone, please reset it', 'okta_reset_my_mfa', {}],
  ],
  'my open tickets': [
    ['my open tickets', 'servicenow_list_my_incidents', { state: 'open' }],
    ['show my incidents', 'servicenow_list_my_incidents', { state: 'open' }],
    ['what tickets do I have open?', 'servicenow_list_my_incidents', { state: 'open' }],
    ['list all my ServiceNow incidents', 'servicenow_list_my_incidents', { state: 'all' }],
    ['any open incidents for me?', 'servicenow_list_my_incidents', { state: 'open' }],
  ],
  'incident status': [
    ['status of INC0010001', 'servicenow_get_incident', { number: 'INC0010001' }],
    ["what's going on with inc0010002?", 'servicenow_get_incident', { number: 'INC0010002' }],
    ['show me INC0010003', 'servicenow_get_incident', { number: 'INC0010003' }],
    ['any update on INC0010004', 'servicenow_get_incident', { number: 'INC0010004' }],
    ['INC0010005', 'servicenow_get_incident', { number: 'INC0010005' }],
  ],
  'open incident': [
    ['open an incident about the printer on floor 3 jamming', 'servicenow_create_incident', { short_description: 'Printer on floor 3 jamming' }],
    ['open a P2 incident for the VPN drops', 'servicenow_create_incident', { short_description: 'VPN drops', urgency: 2, impact: 1 }],
    ['create a P1 ticket: email is down for everyone', 'servicenow_create_incident', { short_description: 'Email is down for everyone', urgency: 1, impact: 1 }],
    ['raise an incident regarding slow wifi in the lobby, priority 3', 'servicenow_create_incident', { short_description: 'Slow wifi in the lobby', urgency: 2, impact: 2 }],
    ['log a new ticket "laptop won\'t boot"', 'servicenow_create_incident', { short_description: "Laptop won't boot" }],
    ['please file an incident about the broken badge reader as P4', 'servicenow_create_incident', { short_description: 'Broken badge reader', urgency: 3, impact: 2 }],
  ],
  'add comment': [
    ['add a comment to INC0010001 saying the issue is back', 'servicenow_add_comment', { number: 'INC0010001', comment: 'issue is back' }],
    ['comment on INC0010002: rebooted, still broken', 'servicenow_add_comment', { number: 'INC0010002', comment: 'rebooted, still broken' }],
    ['post a note on INC0010003 "user confirmed fix"', 'servicenow_add_comment', { number: 'INC0010003', comment: 'user confirmed fix' }],
    ['add a comment to NET-12 saying deployed to staging', 'jira_add_comment', { key: 'NET-12', comment: 'deployed to staging' }],
    ['leave a comment on HELP-7: waiting on vendor', 'jira_add_comment', { key: 'HELP-7', comment: 'waiting on vendor' }],
    ['comment on PROJ-123 "looks good to me"', 'jira_add_comment', { key: 'PROJ-123', comment: 'looks good to me' }],
  ],
  'create jira issue': [
    ['create a Jira issue in NET about flaky DNS', 'jira_create_issue', { project: 'NET', summary: 'Flaky DNS' }],
    ['file a bug in HELP: login page 500s', 'jira_create_issue', { project: 'HELP', summary: 'Login page 500s', issue_type: 'Bug' }],
    ['open a jira bug for the network team about packet loss', 'jira_create_issue', { project: 'NET', summary: 'Packet loss', issue_type: 'Bug' }],
    ['create a task in project FIN titled "close Q3 books"', 'jira_create_issue', { project: 'FIN', summary: 'Close Q3 books', issue_type: 'Task' }],
    ['make a story in NET called dark mode for the portal', 'jira_create_issue', { project: 'NET', summary: 'Dark mode for the portal', issue_type: 'Story' }],
  ],
  'my jira issues': [
    ['my Jira issues', 'jira_list_my_issues', {}],
    ['what am I working on in Jira?', 'jira_list_my_issues', {}],
    ['show issues assigned to me', 'jira_list_my_issues', {}],
    ['list my open bugs', 'jira_list_my_issues', {}],
    ['which jira tickets are mine', 'jira_list_my_issues', {}],
  ],
  'transition issue': [
    ['move PROJ-123 to In Progress', 'jira_transition_issue', { key: 'PROJ-123', to: 'In Progress' }],
    ['move NET-12 to done', 'jira_transition_issue', { key: 'NET-12', to: 'Done' }],
    ['set HELP-3 to "In Review"', 'jira_transition_issue', { key: 'HELP-3', to: 'In Review' }],
    ['transition NET-4 to To Do', 'jira_transition_issue', { key: 'NET-4', to: 'To Do' }],
    ['mark NET-9 as done', 'jira_transition_issue', { key: 'NET-9', to: 'Done' }],
    ['start NET-10', 'jira_transition_issue', { key: 'NET-10', to: 'In Progress' }],
  ],
  'assign issue': [
    ['assign PROJ-123 to me', 'jira_assign_issue', { key: 'PROJ-123', assignee: 'me' }],
    ['assign NET-12 to grace@acme.test', 'jira_assign_issue', { key: 'NET-12', assignee: 'grace@acme.test' }],
    ['reassign HELP-4 to Grace Hopper', 'jira_assign_issue', { key: 'HELP-4', assignee: 'Grace Hopper' }],
    ['give NET-5 to linus', 'jira_assign_issue', { key: 'NET-5', assignee: 'linus' }],
    ['please assign NET-6 to myself', 'jira_assign_issue', { key: 'NET-6', assignee: 'me' }],
  ],
  'find account': [
    ['find account Globex', 'salesforce_find_accounts', { name: 'Globex' }],
    ['look up the Initech account', 'salesforce_find_accounts', { name: 'Initech' }],
    ['search for accounts named Acme Corp', 'salesforce_find_accounts', { name: 'Acme Corp' }],
    ['show me the customer "Umbrella Health"', 'salesforce_find_accounts', { name: 'Umbrella Health' }],
    ['find accounts like Stark', 'salesforce_find_accounts', { name: 'Stark' }],
  ],
  'find opportunity': [
    ['find opportunities for Globex', 'salesforce_find_opportunities', { account: 'Globex' }],
    ['show me the opportunity called Globex Renewal', 'salesforce_find_opportunities', { name: 'Globex Renewal' }],
    ['any open deals with Initech?', 'salesforce_find_opportunities', { account: 'Initech' }],
    ['look up opportunity "Acme Expansion 2025"', 'salesforce_find_opportunities', { name: 'Acme Expansion 2025' }],
    ['list opportunities in the Negotiation stage', 'salesforce_find_opportunities', { stage: 'Negotiation' }],
  ],
  'move opportunity stage': [
    ['move opportunity Globex Renewal to Closed Won', 'salesforce_update_opportunity_stage', { opportunity: 'Globex Renewal', stage: 'Closed Won' }],
    ['update the Initech Upsell opportunity to Negotiation', 'salesforce_update_opportunity_stage', { opportunity: 'Initech Upsell', stage: 'Negotiation' }],
    ['set the stage of deal "Acme Expansion" to Proposal', 'salesforce_update_opportunity_stage', { opportunity: 'Acme Expansion', stage: 'Proposal' }],
    ['advance opp Stark Pilot to Closed Lost', 'salesforce_update_opportunity_stage', { opportunity: 'Stark Pilot', stage: 'Closed Lost' }],
    ['move opportunity Wayne Deal into stage Qualification', 'salesforce_update_opportunity_stage', { opportunity: 'Wayne Deal', stage: 'Qualification' }],
  ],
  'request group': [
    ['request access to group vpn-users', 'okta_request_group_membership', { group: 'vpn-users' }],
    ['add me to the Engineering group', 'okta_request_group_membership', { group: 'Engineering' }],
    ['I need to join the finance-readers group', 'okta_request_group_membership', { group: 'finance-readers' }],
    ['please put me in the "Network Admins" group', 'okta_request_group_membership', { group: 'Network Admins' }],
    ['request membership of group Sales Ops because I need the reports', 'okta_request_group_membership', { group: 'Sales Ops', justification: 'because I need the reports' }],
  ],
  'request app': [
    ['request access to Figma', 'okta_request_app_access', { app: 'Figma' }],
    ['I need access to the Tableau app', 'okta_request_app_access', { app: 'Tableau' }],
    ['can I get access to Zoom?', 'okta_request_app_access', { app: 'Zoom' }],
    ['give me access to GitHub', 'okta_request_app_access', { app: 'GitHub' }],
    ['please grant me access to "Adobe Acrobat"', 'okta_request_app_access', { app: 'Adobe Acrobat' }],
  ],
};

describe('tier 0 recognises everyday phrasings with the right tool and slots', () => {
  for (const [intent, rows] of Object.entries(table)) {
    test.each(rows)(`${intent}: %s`, (phrase, tool, args) => {
      const result = matchRequest(phrase, tools, env);
      expect(result.kind).toBe('plan');
      if (result.kind !== 'plan') return;
      expect(result.steps).toHaveLength(1);
      expect(result.steps[0]!.tool).toBe(tool);
      expect(result.steps[0]!.args).toEqual(args);
    });
  }
});

describe('compound requests', () => {
  test('"open a P2 incident … and file a Jira bug for the network team" → two independent steps', () => {
    const result = matchRequest('open a P2 incident for the VPN drops and file a Jira bug for the network team', tools, env);
    expect(result).toMatchObject({ kind: 'plan' });
    if (result.kind !== 'plan') return;
    expect(result.steps.map((s) => [s.tool, s.args])).toEqual([
      ['servicenow_create_incident', { short_description: 'VPN drops', urgency: 2, impact: 1 }],
      ['jira_create_issue', { project: 'NET', summary: 'VPN drops', issue_type: 'Bug' }],
    ]);
  });
  test('reset password and unlock account', () => {
    const result = matchRequest('reset my password and unlock my account', tools, env);
    expect(result.kind === 'plan' && result.steps.map((s) => s.tool)).toEqual(['okta_reset_my_password', 'okta_unlock_my_account']);
  });
  test('three clauses', () => {
    const result = matchRequest('show my tickets, then my Jira issues and find account Globex', tools, env);
    expect(result.kind === 'plan' && result.steps.map((s) => s.tool)).toEqual(['servicenow_list_my_incidents', 'jira_list_my_issues', 'salesforce_find_accounts']);
  });
});

describe('missing slots produce a question, never a guess', () => {
  test.each([
    ['open an incident', /What is the incident about/],
    ['create a Jira bug about the login page', /Which Jira project/],
    ['move NET-12', /Which status/],
    ['add a comment to INC0010001', /What should the comment/],
    ['find an account', /Which account/],
    ['request access to a group', /Which Okta group/],
    ['assign NET-12', /Who should NET-12 be assigned to/],
  ])('%s', (phrase, question) => {
    const result = matchRequest(phrase, tools, env);
    expect(result.kind).toBe('clarify');
    if (result.kind === 'clarify') expect(result.question).toMatch(question);
  });
  test('a default project from user facts fills the slot', () => {
    const result = matchRequest('create a Jira bug about the login page', tools, { ...env, facts: { 'jira.defaultProject': 'HELP' } });
    expect(result.kind === 'plan' && result.steps[0]!.args).toEqual({ project: 'HELP', summary: 'Login page', issue_type: 'Bug' });
  });
});

describe('tier 0 only plans tools the tenant has', () => {
  test('no Okta connector → no match for password resets', () => {
    const withoutOkta = tools.filter((t) => t.connectorKind !== 'okta');
    expect(matchRequest('reset my password', withoutOkta, env).kind).toBe('none');
  });
  test('unrelated requests are not matched', () => {
    expect(matchRequest('summarise the last quarter for me in a poem', tools, env).kind).toBe('none');
    expect(matchRequest('what is the weather in Paris', tools, env).kind).toBe('none');
  });
});

describe('tier 0 and stored facts', () => {
  // A stored fact fills only a slot the intent shapes (a Jira project key); tier 0 reads no fact as
  // instructions, so its plan is not reported as untrusted input.
  const planner = new DeterministicPlanner(async () => ({ projectAliases: {}, facts: { 'jira.defaultProject': 'FIN' } }));

  test("the default project fills the slot and the plan stays the requester's own", async () => {
    const decision = await planner.next(planningContext('file a jira bug about the printer on floor 3 jamming').ctx);
    expect(decision).toMatchObject({ kind: 'plan', tier: 'deterministic' });
    expect(decision.kind === 'plan' && decision.plan.steps[0]!.args).toMatchObject({ project: 'FIN' });
    expect(decision.kind === 'plan' && decision.untrustedInput).toBeFalsy();
  });

  test('an answer written from tool output is reported as untrusted input', async () => {
    const { ctx } = planningContext('status of INC0010001');
    const decision = await planner.next({ ...ctx, observations: [{ stepId: 's1', tool: 'servicenow_get_incident', args: {}, status: 'succeeded', result: { number: 'INC0010001' } }] });
    expect(decision).toMatchObject({ kind: 'answer', untrustedInput: true });
  });
});
