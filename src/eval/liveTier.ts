import { randomUUID } from 'node:crypto';
import { tenantSchema } from '../config/tenantConfig.js';
import { createLogger } from '../core/logger.js';
import { MemoryKeyValueStore } from '../infra/memory/memoryKeyValue.js';
import { createPlanner } from '../planner/createPlanner.js';
import type { BudgetMeter, Planner, ToolSummary } from '../planner/planner.js';
import type { Outcome } from './judge.js';
import type { Scenario } from './scenario.js';
import { historyOf, lastRequest } from './tierZero.js';

export function liveModelConfigured(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.OPENAI_API_KEY || env.OPENAI_BASE_URL);
}

/** The eval has no tenant budget: spend is whatever the provider bills for k × scenarios calls. */
const unmetered: BudgetMeter = {
  reserve: async () => ({ settle: async () => undefined, release: async () => undefined }),
};

const planners = new Map<string, Planner>();

/** One planner per mode (the live endpoint, the scripted one), built like the product builds it. */
function plannerFor(mode: string, env: NodeJS.ProcessEnv): Planner {
  let planner = planners.get(mode);
  if (!planner) {
    const tenant = tenantSchema.parse({ id: 'eval', name: 'Eval', connectors: ['servicenow', 'jira', 'salesforce', 'okta'].map((kind) => ({ id: kind, kind, baseUrl: 'sandbox' })) });
    planner = createPlanner({ tenant, kv: new MemoryKeyValueStore(), logger: createLogger({ level: 'silent' }), cacheTtlMs: 0, models: { env } });
    planners.set(mode, planner);
  }
  return planner;
}

/** The product's tiered planner (routing, tier 0 and the configured model tiers) on one scenario. */
/** The product's planner derives its own slot environment (the sandbox project aliases). */
export async function liveOutcome(scenario: Scenario, tools: readonly ToolSummary[], env: NodeJS.ProcessEnv, mode: string): Promise<Outcome> {
  const decision = await plannerFor(mode, env).next({
    tenantId: 'eval', userId: randomUUID(), runId: randomUUID(), conversationId: randomUUID(),
    request: lastRequest(scenario), history: historyOf(scenario), tools, observations: [], iteration: 0,
    budget: unmetered, signal: AbortSignal.timeout(60_000), logger: createLogger({ level: 'silent' }), onAnswerDelta: () => undefined,
  });
  switch (decision.kind) {
    case 'plan': return { kind: 'plan', steps: decision.plan.steps.map((s) => ({ tool: s.tool, args: s.args })) };
    case 'clarify': return { kind: 'clarify', question: decision.question };
    case 'answer': return { kind: 'answer', text: decision.text };
  }
}
