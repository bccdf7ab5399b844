import { ASK_USER_TOOL, SUBMIT_PLAN_TOOL, renderSystem } from '../../src/planner/model/prompt.js';
import { routeRequest } from '../../src/planner/router.js';
import { selectTools } from '../../src/planner/toolSelection.js';
import { matchRequest } from '../../src/planner/deterministic/matcher.js';
import { testTokenCounter } from '../support/models.js';
import { productTools, twentyConnectorTools } from '../support/toolCatalog.js';

const tools = twentyConnectorTools();
const env = { projectAliases: {}, facts: {} };

describe('tool selection', () => {
  test('picks the relevant connector tools out of 120+ and keeps the planning prompt under 1,500 tokens', () => {
    expect(tools.length).toBeGreaterThan(100);
    const request = 'compare my open ServiceNow incidents with my Jira issues and tell me which ones overlap';
    const selected = selectTools(request, tools);
    const names = selected.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['servicenow_list_my_incidents', 'jira_list_my_issues']));
    expect(names.every((n) => n.startsWith('servicenow_') || n.startsWith('jira_'))).toBe(true);
    const prompt = testTokenCounter().countMessages([{ role: 'system', content: renderSystem(selected) }, { role: 'user', content: request }], [SUBMIT_PLAN_TOOL, ASK_USER_TOOL]);
    expect(prompt).toBeLessThanOrEqual(1_500);
  });
  test('recent tools stay selected for follow-ups', () => {
    const selected = selectTools('and close it with a note', tools, { recentTools: ['servicenow_get_incident'] });
    expect(selected[0]!.name).toBe('servicenow_get_incident');
    expect(selected.map((t) => t.name)).toContain('servicenow_resolve_incident');
  });
  test('synonyms reach the right system', () => {
    const names = selectTools('which deals is Globex negotiating', tools).map((t) => t.name);
    expect(names.slice(0, 3)).toContain('salesforce_find_opportunities');
    expect(names.slice(0, 3).every((n) => n.startsWith('salesforce_'))).toBe(true);
  });
});

describe('router', () => {
  const route = (request: string, extra: Partial<Parameters<typeof routeRequest>[0]> = {}) =>
    routeRequest({ request, tools: productTools(), match: matchRequest(request, productTools(), env), hasModels: true, ...extra });
  test.each([
    ['reset my password', 'deterministic', /tier 0 recognised/],
    ['open an incident', 'deterministic', /detail is missing/],
    ['find the jira epics blocked by the network team', 'fast', /single-connector request \(jira\)/],
    ['compare my incidents with my jira bugs', 'power', /spans 2 connectors/],
    ['look at my last incident and explain why it took so long', 'power', /several dependent steps/],
    ['write a haiku', 'fast', /general request/],
  ])('%s → %s', (request, tier, reason) => {
    const decision = route(request);
    expect(decision.tier).toBe(tier);
    expect(decision.reason).toMatch(reason);
  });
  test('tenant overrides and missing models', () => {
    expect(route('reset my password', { forceTier: 'power' })).toMatchObject({ tier: 'power' });
    expect(route('compare my incidents with my jira bugs', { forceTier: 'deterministic' })).toMatchObject({ tier: 'deterministic' });
    expect(route('compare my incidents with my jira bugs', { hasModels: false })).toEqual({ tier: 'deterministic', reason: 'no model is configured for this tenant' });
  });
});
