import { ASK_USER_TOOL, SUBMIT_PLAN_TOOL, renderSystem } from '../../src/planner/model/prompt.js';
import { routeRequest } from '../../src/planner/router.js';
import { selectTools } from '../../src/planner/toolSelection.js';
import { matchRequest } from '../../src/planner/deterministic/matcher.js';
import { testTokenCounter } from '../support/models.js';
import { productTools, twentyConnectorTools } from '../support/toolCatalog.js';
import { mcpServerTools } from '../support/mcpToolCatalog.js';
import type { ToolSummary } from '../../src/planner/planner.js';

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

describe('tool selection at 20 connectors plus 5 MCP servers of 40 tools each', () => {
  const atScale = [...tools, ...mcpServerTools()];
  const counter = testTokenCounter();
  const promptOf = (request: string, selected: readonly ToolSummary[]): number =>
    counter.countMessages([{ role: 'system', content: renderSystem(selected) }, { role: 'user', content: request }], [SUBMIT_PLAN_TOOL, ASK_USER_TOOL]);
  const select = (request: string, from = atScale, extra: Parameters<typeof selectTools>[2] = {}) =>
    selectTools(request, from, { countTokens: (text) => counter.count(text), ...extra });

  test.each([
    ['compare my open ServiceNow incidents with my Jira issues and tell me which ones overlap', ['servicenow_list_my_incidents', 'jira_list_my_issues'], ['servicenow_', 'jira_']],
    ['refund the last Stripe invoice for Globex and add a comment on my ServiceNow incident', ['stripe_create_refund', 'servicenow_add_comment'], ['stripe_', 'servicenow_']],
    ["get the cloud recording of yesterday's Zoom meeting and put a summary on a new Notion page", ['zoom_get_cloud_recording', 'zoom_list_cloud_recordings', 'notion_create_page'], ['zoom_', 'notion_']],
    ['leave a comment on the Figma design file for the onboarding flow', ['figma_create_file_comment', 'figma_get_design_file'], ['figma_']],
    ['how many vacation days do I have left, then book time off next Friday', ['hris_get_time_off_balance', 'hris_create_time_off_request'], ['hris_', 'workday_']],
    ['who joined my last Zoom meeting', ['zoom_list_meeting_participants', 'zoom_list_meetings'], ['zoom_']],
  ])('%s', (request, expected, systems) => {
    expect(atScale).toHaveLength(323);
    const selected = select(request);
    const names = selected.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(expected));
    expect(names.filter((n) => !systems.some((prefix) => n.startsWith(prefix)))).toEqual([]);
    expect(promptOf(request, selected)).toBeLessThanOrEqual(1_500);
  });

  test('MCP tools are the ones src/mcp registers: namespaced, led by the server name, with the server schema', () => {
    const tool = atScale.find((t) => t.name === 'stripe_create_refund')!;
    expect(tool.description).toMatch(/^Stripe Billing: Create a refund/);
    expect(tool.risk).toBe('write');
    expect(tool.parameters).toMatchObject({ required: ['payment_intent'] });
    expect(atScale.find((t) => t.name === 'stripe_delete_refund')!.risk).toBe('high');
  });

  test('the token cap holds when servers write long descriptions and many arguments', () => {
    const wordy = [...tools, ...mcpServerTools({ wordy: true })];
    const request = "get the cloud recording of yesterday's Zoom meeting and put a summary on a new Notion page";
    // Ten of these tools would not fit: the count of tools alone does not bound the prompt.
    expect(promptOf(request, select(request, wordy, { maxToolTokens: Number.POSITIVE_INFINITY }))).toBeGreaterThan(1_500);
    const selected = select(request, wordy);
    expect(promptOf(request, selected)).toBeLessThanOrEqual(1_500);
    expect(selected.map((t) => t.name)).toEqual(expect.arrayContaining(['zoom_get_cloud_recording', 'notion_create_page']));
    // Without the model's tokenizer the estimate errs on the safe side.
    expect(promptOf(request, selectTools(request, wordy))).toBeLessThanOrEqual(1_500);
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
