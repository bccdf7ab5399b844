import { ResponseCache } from '../cache/responseCache.js';
import { ModelOutputError, ModelUnavailableError } from '../models/errors.js';
import type { ModelGateway } from '../models/modelGateway.js';
import { REDUCED_MODE_NOTICE } from './deterministic/answerWriter.js';
import { DeterministicPlanner } from './deterministic/deterministicPlanner.js';
import type { SlotEnv } from './deterministic/types.js';
import type { ModelPlanner } from './model/modelPlanner.js';
import type { Planner, PlannerDecision, PlannerTier, PlanningContext } from './planner.js';
import { isModelTier, routeRequest } from './router.js';

export interface TieredPlannerDeps {
  readonly gateway?: ModelGateway;
  readonly modelPlanner?: ModelPlanner;
  readonly forceTier?: PlannerTier;
  readonly cache?: ResponseCache;
  readonly slotEnv: (ctx: PlanningContext) => Promise<SlotEnv>;
}

/**
 * The Planner the engine calls: routes each request to tier 0 or a model tier, falls back to tier 0
 * in reduced mode when no model can be reached, and serves identical read-only requests from the
 * response cache. Every answer's text is also streamed through ctx.onAnswerDelta.
 */
export class TieredPlanner implements Planner {
  private readonly deterministic: DeterministicPlanner;
  constructor(private readonly deps: TieredPlannerDeps) {
    this.deterministic = new DeterministicPlanner(deps.slotEnv);
  }

  async next(ctx: PlanningContext): Promise<PlannerDecision> {
    if (ctx.iteration === 0 && ctx.observations.length === 0 && this.deps.cache) {
      const hit = await this.deps.cache.get(ctx.tenantId, ctx.userId, ctx.request);
      // A cached answer was written from tool output (only read-only plans are cached).
      if (hit) return this.answer(ctx, { kind: 'answer', text: hit.text, tier: hit.tier, untrustedInput: true });
    }
    const decision = await this.decide(ctx);
    if (decision.kind === 'answer' && this.deps.cache && !decision.reducedMode && ResponseCache.isCacheable(ctx.previousPlan, ctx.observations, ctx.tools)) {
      await this.deps.cache.put(ctx.tenantId, ctx.userId, ctx.request, { text: decision.text, tier: decision.tier });
    }
    return decision;
  }

  private async decide(ctx: PlanningContext): Promise<PlannerDecision> {
    const match = await this.deterministic.match(ctx);
    const route = routeRequest({
      request: ctx.request,
      tools: ctx.tools,
      match,
      ...(this.deps.forceTier ? { forceTier: this.deps.forceTier } : {}),
      hasModels: this.deps.gateway?.hasModels() === true && this.deps.modelPlanner !== undefined,
    });
    ctx.logger.debug({ runId: ctx.runId, tier: route.tier, reason: route.reason, iteration: ctx.iteration }, 'planner route');
    if (!isModelTier(route.tier) || !this.deps.modelPlanner) return this.tierZero(ctx, route.reason, false);
    try {
      const facts = (await this.deps.slotEnv(ctx)).facts;
      const decision = await this.deps.modelPlanner.next(ctx, route.tier, route.reason, facts);
      // Model answers were streamed as they were generated.
      return decision;
    } catch (error) {
      if (error instanceof ModelUnavailableError) {
        ctx.logger.warn({ runId: ctx.runId }, 'no model reachable; answering in reduced mode');
        return this.tierZero(ctx, `${route.reason}; no model reachable, tier 0 in reduced mode`, true);
      }
      if (error instanceof ModelOutputError) {
        ctx.logger.warn({ runId: ctx.runId, code: error.code }, 'model output unusable; trying tier 0');
        const fallback = await this.deterministic.next(ctx, `${route.reason}; model output was invalid, tier 0 took over`);
        if (fallback.kind !== 'undecided') return fallback.kind === 'answer' ? this.answer(ctx, fallback) : fallback;
        return this.answer(ctx, { kind: 'answer', text: error.userMessage, tier: 'deterministic' });
      }
      throw error;
    }
  }

  private async tierZero(ctx: PlanningContext, reason: string, reduced: boolean): Promise<PlannerDecision> {
    const decision = await this.deterministic.next(ctx, reason);
    const notice = (text: string): string => (reduced ? `${REDUCED_MODE_NOTICE}\n\n${text}` : text);
    if (decision.kind === 'undecided') {
      return this.answer(ctx, { kind: 'answer', text: notice(DeterministicPlanner.help()), tier: 'deterministic', ...(reduced ? { reducedMode: true } : {}) });
    }
    if (decision.kind === 'answer') return this.answer(ctx, { ...decision, text: notice(decision.text), ...(reduced ? { reducedMode: true } : {}) });
    if (decision.kind === 'clarify') return { ...decision, ...(reduced ? { question: notice(decision.question), reducedMode: true } : {}) };
    return reduced ? { ...decision, reducedMode: true, plan: { ...decision.plan, summary: REDUCED_MODE_NOTICE.slice(0, 300) } } : decision;
  }

  private answer(ctx: PlanningContext, decision: Extract<PlannerDecision, { kind: 'answer' }>): PlannerDecision {
    ctx.onAnswerDelta(decision.text);
    return decision;
  }
}
