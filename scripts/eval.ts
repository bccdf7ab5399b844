/**
 * `npm run eval [-- --k 8] [-- --dir eval/scenarios]`: runs every scenario k times per tier and
 * prints pass^1 / pass^k per tier, the per-intent table for tier 0, and each failing scenario.
 * Tier 0 runs directly against the product's tool registry; the model tiers run through the
 * product's planner against a scripted OpenAI-compatible server that answers what each scenario
 * expects; the live tier runs only when OPENAI_API_KEY or OPENAI_BASE_URL is set. Exits 1 when
 * tier 0 is below pass^k = 1.0.
 *
 * `npm run eval -- --product [--k 1] [--limit N]`: instead, the whole product (embedded posture, the
 * sandboxes, a scratch database on EVAL_DATABASE_URL / TEST_DATABASE_URL) runs the scenarios that
 * state an `endState`, through the web playground, and checks the sandboxes' records and the
 * approvals table (src/eval/productMode.ts). k defaults to 1 there: tier 0 is deterministic.
 */
import { parseArgs } from 'node:util';
import { failureList, intentTable, summarize, tierTable, trial, type ScenarioResult, type TierRow } from '../src/eval/report.js';
import { loadScenarios } from '../src/eval/scenario.js';
import { EVAL_SLOT_ENV, productToolSummaries } from '../src/eval/registryTools.js';
import { tierZeroOutcome } from '../src/eval/tierZero.js';
import { liveOutcome, liveModelConfigured } from '../src/eval/liveTier.js';
import { scriptedPlanningReply } from '../src/eval/scriptedReplies.js';
import { startScriptedOpenAI } from '../test/support/scriptedOpenAI.js';
import { runProductMode } from '../src/eval/productReport.js';

const { values } = parseArgs({ options: { k: { type: 'string' }, dir: { type: 'string', default: 'eval/scenarios' }, live: { type: 'string', default: '' }, product: { type: 'boolean', default: false }, limit: { type: 'string', default: '' } } });
// Product mode defaults to k = 1: tier 0 is deterministic, and each trial drives the whole product.
const k = Number(values.k ?? (values.product ? '1' : '8'));
if (!Number.isInteger(k) || k < 1) throw new Error('--k must be a positive integer');

const scenarios = await loadScenarios(values.dir);
if (values.product) {
  const limit = values.limit ? Number(values.limit) : Infinity;
  if (!(limit > 0)) throw new Error('--limit must be a positive integer');
  const { text, exitCode } = await runProductMode(scenarios, k, limit);
  console.log(text);
  process.exit(exitCode);
}
const tools = productToolSummaries();
const tier0: ScenarioResult[] = [];
for (const scenario of scenarios) tier0.push(await trial(scenario, scenario.tier0, k, () => tierZeroOutcome(scenario, tools, EVAL_SLOT_ENV)));

const rows: TierRow[] = [summarize('tier 0 (deterministic)', tier0, k)];
// The model tiers with a scripted model that always answers what the scenario expects: measures the
// product around the model (routing, tier 0 taking what it should not, validation of the plan).
const scripted: ScenarioResult[] = [];
const model = await startScriptedOpenAI();
try {
  const env = { OPENAI_BASE_URL: model.baseUrl, OPENAI_API_KEY: 'scripted-eval' };
  for (const scenario of scenarios) {
    const reply = scriptedPlanningReply(scenario.expect);
    if (!reply) continue;
    model.setHandler(() => reply);
    scripted.push(await trial(scenario, scenario.expect, k, () => liveOutcome(scenario, tools, env, 'scripted')));
  }
} finally {
  await model.close();
}
rows.push(summarize('model tiers (scripted model)', scripted, k));
const live: ScenarioResult[] = [];
if (liveModelConfigured(process.env)) {
  const limit = values.live ? Number(values.live) : scenarios.length;
  // "defer" only says what tier 0 must not do; a live model has no expectation to meet there.
  for (const scenario of scenarios.filter((s) => s.expect.kind !== 'defer').slice(0, limit)) live.push(await trial(scenario, scenario.expect, k, () => liveOutcome(scenario, tools, process.env, 'live')));
  rows.push(summarize('live model (routed as in production)', live, k));
} else {
  rows.push({ tier: 'live model', skipped: 'set OPENAI_API_KEY or OPENAI_BASE_URL to run it' });
}

console.log(`${scenarios.length} scenarios, k = ${k}\n`);
console.log(tierTable(rows));
console.log(`\ntier 0 by intent\n${intentTable(tier0, k)}`);
const failures = failureList(tier0);
if (failures) console.log(`\ntier 0 failures\n${failures}`);
const scriptedFailures = failureList(scripted);
if (scriptedFailures) console.log(`\nscripted model failures\n${scriptedFailures}`);
if (live.length > 0) {
  console.log(`\nlive model by intent\n${intentTable(live, k)}`);
  const liveFailures = failureList(live);
  if (liveFailures) console.log(`\nlive model failures\n${liveFailures}`);
}
if (summarize('tier 0', tier0, k).passAtK < 1) process.exitCode = 1;
