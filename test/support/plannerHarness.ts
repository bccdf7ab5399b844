import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { tenantSchema, type TenantConfig } from '../../src/config/tenantConfig.js';
import { createInfra } from '../../src/infra/createInfra.js';
import type { Infra } from '../../src/infra/infra.js';
import type { Plan } from '../../src/engine/plan.js';
import type { ConversationTurn, Planner, PlannerDecision, PlanningContext, StepObservation, ToolSummary } from '../../src/planner/planner.js';
import { InMemoryBudgetMeter } from './inMemoryBudget.js';
import { silentLogger } from './models.js';
import { productTools } from './toolCatalog.js';

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Real Redis under a unique prefix; `cleanup()` deletes every key the test wrote and disconnects. */
export async function testInfra(): Promise<{ infra: Infra; prefix: string; cleanup(): Promise<void> }> {
  const prefix = `test:planner:${randomUUID()}:`;
  const infra = await createInfra({ redisUrl: TEST_REDIS_URL, keyPrefix: prefix, logger: silentLogger });
  return {
    infra,
    prefix,
    cleanup: async () => {
      const redis = new Redis(TEST_REDIS_URL);
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
      await infra.close();
    },
  };
}

export function testTenant(overrides: Record<string, unknown> = {}): TenantConfig {
  return tenantSchema.parse({
    id: 'acme',
    name: 'Acme',
    connectors: [
      { id: 'servicenow', kind: 'servicenow', baseUrl: 'sandbox' },
      { id: 'jira', kind: 'jira', baseUrl: 'sandbox' },
      { id: 'salesforce', kind: 'salesforce', baseUrl: 'sandbox' },
      { id: 'okta', kind: 'okta', baseUrl: 'sandbox' },
    ],
    ...overrides,
  });
}

export interface TestRun {
  ctx: PlanningContext;
  deltas: string[];
  budget: InMemoryBudgetMeter;
}

export function planningContext(request: string, options: { history?: ConversationTurn[]; tools?: ToolSummary[]; budget?: InMemoryBudgetMeter; userId?: string } = {}): TestRun {
  const deltas: string[] = [];
  const budget = options.budget ?? new InMemoryBudgetMeter();
  const ctx: PlanningContext = {
    tenantId: 'acme',
    userId: options.userId ?? '00000000-0000-4000-8000-00000000000a',
    runId: randomUUID(),
    conversationId: randomUUID(),
    request,
    history: options.history ?? [],
    tools: options.tools ?? productTools(),
    observations: [],
    iteration: 0,
    budget,
    signal: new AbortController().signal,
    logger: silentLogger,
    onAnswerDelta: (text) => void deltas.push(text),
  };
  return { ctx, deltas, budget };
}

/** What the engine does between planner calls, with a test-provided executor standing in for connectors. */
export function afterExecution(ctx: PlanningContext, plan: Plan, observe: (step: Plan['steps'][number]) => Omit<StepObservation, 'stepId' | 'tool' | 'args'>): PlanningContext {
  const observations = plan.steps.map((step) => ({ stepId: step.id, tool: step.tool, args: step.args, ...observe(step) }));
  return { ...ctx, observations: [...ctx.observations, ...observations], previousPlan: plan, iteration: ctx.iteration + 1 };
}

/** Drives a planner like the engine does until it answers or asks; returns every decision. */
export async function drive(planner: Planner, start: PlanningContext, observe: Parameters<typeof afterExecution>[2], maxCalls = 12): Promise<PlannerDecision[]> {
  const decisions: PlannerDecision[] = [];
  let ctx = start;
  for (let i = 0; i < maxCalls; i += 1) {
    const decision = await planner.next(ctx);
    decisions.push(decision);
    if (decision.kind !== 'plan') return decisions;
    ctx = afterExecution(ctx, decision.plan, observe);
  }
  throw new Error('planner never stopped');
}
