import type { ModelTierConfig } from '../config/tenantConfig.js';

export interface TokenUsage {
  /** All prompt tokens, cached ones included (OpenAI's `prompt_tokens`). */
  readonly inputTokens: number;
  /** The part of inputTokens served from the provider's prompt cache. */
  readonly cachedInputTokens: number;
  readonly outputTokens: number;
}

type Prices = ModelTierConfig['prices'];

/**
 * Price per million tokens in integer micro-dollars. Config prices are dollars with at most six
 * decimals in practice, so rounding here is exact and everything after is integer arithmetic.
 */
function microsPerMillion(dollarsPerMillion: number): number {
  return Math.round(dollarsPerMillion * 1_000_000);
}

/**
 * Cost of a call in integer micro-dollars: the exact sum of
 * (uncached input × input price + cached input × cached price + output × output price) / 1e6,
 * rounded UP once at the end so budgets never under-count (error < 1 micro-dollar per call).
 * Cached input falls back to the input price when the tier has no cached price.
 */
export function costMicros(usage: TokenUsage, prices: Prices): number {
  const cached = Math.min(Math.max(usage.cachedInputTokens, 0), usage.inputTokens);
  const uncached = usage.inputTokens - cached;
  const inputRate = microsPerMillion(prices.input);
  const cachedRate = microsPerMillion(prices.cachedInput ?? prices.input);
  const outputRate = microsPerMillion(prices.output);
  // BigInt keeps the numerator exact even for very large token counts.
  const numerator = BigInt(uncached) * BigInt(inputRate) + BigInt(cached) * BigInt(cachedRate) + BigInt(usage.outputTokens) * BigInt(outputRate);
  const million = 1_000_000n;
  const whole = numerator / million;
  return Number(numerator % million === 0n ? whole : whole + 1n);
}
