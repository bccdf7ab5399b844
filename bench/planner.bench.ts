/**
 * Planner figures: the planning prompt's size for a tenant with 20 connectors (~125 tools) and the
 * share of a 200-request mix that tier 0 answers without a model. Prints figures; asserts nothing.
 */
import { matchRequest } from '../src/planner/deterministic/matcher.js';
import { ContextWindowManager } from '../src/memory/contextWindow.js';
import { ASK_USER_TOOL, SUBMIT_PLAN_TOOL, renderSystem } from '../src/planner/model/prompt.js';
import { routeRequest } from '../src/planner/router.js';
import { selectTools } from '../src/planner/toolSelection.js';
import { createTokenCounter } from '../src/models/tokenCounter.js';
import { twentyConnectorTools } from '../test/support/toolCatalog.js';
import { mcpServerTools } from '../test/support/mcpToolCatalog.js';

const tokens = createTokenCounter();
const tools = twentyConnectorTools();
const env = { projectAliases: { network: 'NET', 'help desk': 'HELP', finance: 'FIN' }, facts: {} };

const planningRequests = [
  'compare my open ServiceNow incidents with my Jira issues and tell me which ones overlap',
  'find the Globex opportunities in Negotiation and open a Salesforce case for each stalled one',
  'summarise what changed on my Datadog monitors and file a Jira bug if any are red',
  'which of my GitHub pull requests mention NET-12',
];
let worst = 0;
for (const request of planningRequests) {
  const selected = selectTools(request, tools, { max: 10 });
  const assembled = await new ContextWindowManager({ tokens }).assemble({ system: renderSystem(selected), history: [], request, threshold: 6000 });
  const total = tokens.countMessages(assembled.messages, [SUBMIT_PLAN_TOOL, ASK_USER_TOOL]);
  const everything = tokens.countMessages([{ role: 'system', content: renderSystem(tools) }, { role: 'user', content: request }], [SUBMIT_PLAN_TOOL, ASK_USER_TOOL]);
  const fullSchemas = tokens.count(JSON.stringify(tools.map((t) => ({ type: 'function', function: { name: t.name, description: t.description, parameters: t.parameters } }))));
  worst = Math.max(worst, total);
  console.log(`planning prompt: ${total} tokens with ${selected.length} selected tools (all ${tools.length} compact: ${everything}; all as JSON schemas: ${fullSchemas}) — "${request.slice(0, 60)}…"`);
  console.log(`  selected: ${selected.map((t) => t.name).join(', ')}`);
}
console.log(`worst planning prompt: ${worst} tokens (target ≤ 1,500) for ${tools.length} tools from 20 connectors`);

// Issue 17: the same tenant plus 5 MCP servers of 40 tools each, converted by src/mcp as in production.
const atScale = [...tools, ...mcpServerTools()];
const scaleRequests = [
  ...planningRequests,
  'refund the last Stripe invoice for Globex and add a comment on my ServiceNow incident',
  'how many vacation days do I have left, then book time off next Friday',
  'get the cloud recording of yesterday\'s Zoom meeting and put a summary on a new Notion page',
  'leave a comment on the Figma design file for the onboarding flow',
  'who joined my last Zoom meeting',
];
let worstAtScale = { total: 0, request: '', selected: [] as string[] };
for (const request of scaleRequests) {
  const selected = selectTools(request, atScale, { max: 10, countTokens: (text) => tokens.count(text) });
  const assembled = await new ContextWindowManager({ tokens }).assemble({ system: renderSystem(selected), history: [], request, threshold: 6000 });
  const total = tokens.countMessages(assembled.messages, [SUBMIT_PLAN_TOOL, ASK_USER_TOOL]);
  if (total > worstAtScale.total) worstAtScale = { total, request, selected: selected.map((t) => t.name) };
  console.log(`at scale: ${total} tokens with ${selected.length} of ${atScale.length} tools — "${request.slice(0, 60)}…"`);
  console.log(`  selected: ${selected.map((t) => t.name).join(', ')}`);
}
console.log(`worst planning prompt at scale: ${worstAtScale.total} tokens (target ≤ 1,500) for ${atScale.length} tools (20 connectors + 5 MCP servers × 40) — "${worstAtScale.request.slice(0, 60)}…"`);
console.log(`  selected: ${worstAtScale.selected.join(', ')}`);

// A seeded 200-request mix: everyday phrasings (most traffic) and open-ended asks.
let seed = 42;
const random = (): number => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
const everyday = [
  'reset my password', 'I forgot my okta password', 'unlock my account', "I'm locked out", 'reset my MFA', 'my open tickets',
  'show my incidents', 'status of INC0010001', 'any update on INC0010002', 'open a P2 incident about the VPN drops',
  'create a ticket about the printer on floor 3', 'add a comment to INC0010001 saying still broken', 'my Jira issues',
  'move NET-12 to Done', 'assign NET-4 to me', 'create a Jira bug in NET about flaky DNS', 'comment on HELP-3: fixed',
  'find account Globex', 'find opportunities for Initech', 'move opportunity Globex Renewal to Closed Won',
  'request access to Figma', 'add me to the vpn-users group', 'open a P2 incident for the VPN drops and file a Jira bug for the network team',
  'open an incident', 'move NET-12',
];
const openEnded = [
  'compare my incidents with my Jira issues', 'why was my laptop order delayed?', 'summarise this week for my manager',
  'which deals closed last quarter and who owned them', 'draft a status update about the VPN outage', 'what can you do?',
];
let tier0 = 0;
let clarify = 0;
const total = 200;
for (let i = 0; i < total; i += 1) {
  const pool = random() < 0.75 ? everyday : openEnded;
  const request = pool[Math.floor(random() * pool.length)]!;
  const match = matchRequest(request, tools, env);
  const route = routeRequest({ request, tools, match, hasModels: true });
  if (route.tier === 'deterministic') tier0 += 1;
  if (match.kind === 'clarify') clarify += 1;
}
console.log(`tier 0 share: ${tier0}/${total} (${((tier0 / total) * 100).toFixed(1)}%) answered without a model, ${clarify} of them clarifying questions`);

const started = performance.now();
for (let i = 0; i < 1000; i += 1) matchRequest(everyday[i % everyday.length]!, tools, env);
console.log(`tier 0 matching: ${((performance.now() - started) / 1000).toFixed(3)} ms per request`);
