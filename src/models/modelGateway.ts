import { SpanKind } from '@opentelemetry/api';
import type { Logger } from '../core/logger.js';
import { inChildSpan } from '../observability/tracingContext.js';
import { BudgetExceededError } from '../core/errors.js';
import type { BudgetMeter, ModelUsage } from '../planner/planner.js';
import { performChatCall, toProviderError, type RawCallResult } from './chatCall.js';
import { ModelUnavailableError, ProviderCallError } from './errors.js';
import { costMicros } from './pricing.js';
import { BreakerRegistry, DEFAULT_RESILIENCE, buildCallPolicy, type ResilienceOptions, type RetryObserver } from './resilience.js';
import type { TierClient } from './tierClients.js';
import type { TokenCounter } from './tokenCounter.js';
import type { ModelCallRequest, ModelCallResult, ModelTier } from './types.js';

export interface ModelCallContext {
  readonly budget: BudgetMeter;
  readonly signal: AbortSignal;
  readonly logger: Logger;
}

export interface ModelGatewayDeps {
  readonly tiers: ReadonlyMap<ModelTier, TierClient>;
  readonly tokens: TokenCounter;
  readonly breakers: BreakerRegistry;
  readonly resilience?: ResilienceOptions;
  /** Observes retry decisions (tests assert Retry-After was honoured; ops may count them). */
  readonly onRetry?: RetryObserver;
}

/** Preferred tier first, then the others: stronger models before weaker ones when falling back from fast. */
const FALLBACK_ORDER: Record<ModelTier, readonly ModelTier[]> = {
  fast: ['fast', 'mid', 'power'],
  mid: ['mid', 'power', 'fast'],
  power: ['power', 'mid', 'fast'],
};

/**
 * A tenant's models behind one call: budget reservation with a real token estimate, per-provider
 * breaker, retry honouring Retry-After, per-attempt timeout, and fallback to the next tier.
 * Budget errors and caller aborts propagate untouched; only when every tier failed does it throw
 * ModelUnavailableError, which the planner turns into reduced (deterministic) mode.
 */
export class ModelGateway {
  private readonly resilience: ResilienceOptions;
  constructor(private readonly deps: ModelGatewayDeps) {
    this.resilience = deps.resilience ?? DEFAULT_RESILIENCE;
  }

  hasModels(): boolean {
    return this.deps.tiers.size > 0;
  }

  has(tier: ModelTier): boolean {
    return this.deps.tiers.has(tier);
  }

  /** The tier a request for `preferred` would try first. */
  resolve(preferred: ModelTier): ModelTier | undefined {
    return FALLBACK_ORDER[preferred].find((t) => this.deps.tiers.has(t));
  }

  /** Estimated prompt tokens of a request for a tier's model (what reserve() is told). */
  estimateInput(request: ModelCallRequest, tier: ModelTier): number {
    const model = this.deps.tiers.get(tier)?.config.model;
    return this.deps.tokens.countMessages(request.messages, request.tools, model);
  }

  async call(preferred: ModelTier, request: ModelCallRequest, ctx: ModelCallContext): Promise<ModelCallResult> {
    const failures: string[] = [];
    let lastError: unknown;
    for (const tier of FALLBACK_ORDER[preferred]) {
      const entry = this.deps.tiers.get(tier);
      if (!entry) continue;
      try {
        return await this.tracedCall(entry, request, ctx);
      } catch (error) {
        if (error instanceof BudgetExceededError || ctx.signal.aborted) throw error;
        lastError = error;
        failures.push(`${tier}: ${error instanceof Error ? error.message : 'failed'}`);
        ctx.logger.warn({ tier, model: entry.config.model, purpose: request.purpose, code: (error as { code?: string }).code }, 'model tier failed, falling back');
      }
    }
    throw new ModelUnavailableError(failures.length > 0 ? `all model tiers failed (${failures.join('; ')})` : 'no model tier is configured', lastError);
  }

  /** A model call as a span following the OpenTelemetry GenAI conventions (never the prompt or the answer). */
  private tracedCall(entry: TierClient, request: ModelCallRequest, ctx: ModelCallContext): Promise<ModelCallResult> {
    const attributes = { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': entry.config.model, 'switchboard.model_tier': entry.tier, 'switchboard.model_purpose': request.purpose };
    return inChildSpan(`chat ${entry.config.model}`, attributes, async (span) => {
      const result = await this.callTier(entry, request, ctx);
      span?.setAttributes({
        'gen_ai.response.model': result.model,
        'gen_ai.usage.input_tokens': result.usage.inputTokens,
        'gen_ai.usage.output_tokens': result.usage.outputTokens,
        'switchboard.cost_usd': result.usage.costMicros / 1_000_000,
        ...(result.finishReason ? { 'gen_ai.response.finish_reasons': [result.finishReason] } : {}),
      });
      return result;
    }, SpanKind.CLIENT);
  }

  private async callTier(entry: TierClient, request: ModelCallRequest, ctx: ModelCallContext): Promise<ModelCallResult> {
    const { config } = entry;
    const maxOutputTokens = Math.min(request.maxOutputTokens ?? config.maxOutputTokens, config.maxOutputTokens);
    const inputTokens = this.deps.tokens.countMessages(request.messages, request.tools, config.model);
    const reservation = await ctx.budget.reserve({
      tier: entry.tier,
      model: config.model,
      inputTokens,
      maxOutputTokens,
      costMicros: costMicros({ inputTokens, cachedInputTokens: 0, outputTokens: maxOutputTokens }, config.prices),
    });
    let raw: RawCallResult;
    try {
      const policy = buildCallPolicy({
        breaker: this.deps.breakers.for(entry.providerKey),
        timeoutMs: config.timeoutMs,
        resilience: this.resilience,
        ...(this.deps.onRetry ? { onRetry: this.deps.onRetry } : {}),
      });
      raw = await policy.execute(async ({ signal }) => {
        try {
          return await performChatCall(entry.client, config.model, request, maxOutputTokens, signal);
        } catch (error) {
          throw toProviderError(error, ctx.signal, signal);
        }
      }, ctx.signal);
    } catch (error) {
      await reservation.release();
      if (error instanceof ProviderCallError || ctx.signal.aborted) throw error;
      // Breaker open, cancelled attempt: still a provider-side failure for fallback purposes.
      throw new ProviderCallError(error instanceof Error ? error.message : 'model call failed', { cause: error });
    }
    const usageEstimated = raw.usage === null;
    const counted = raw.usage ?? {
      inputTokens,
      cachedInputTokens: 0,
      outputTokens: this.deps.tokens.count(raw.content + raw.toolCalls.map((c) => c.name + c.arguments).join(''), config.model),
    };
    const usage: ModelUsage = { tier: entry.tier, model: config.model, ...counted, costMicros: costMicros(counted, config.prices) };
    await reservation.settle(usage);
    return { tier: entry.tier, model: config.model, content: raw.content, toolCalls: raw.toolCalls, finishReason: raw.finishReason, usage, usageEstimated };
  }
}
