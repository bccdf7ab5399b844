/** Token bucket: `capacity` tokens, refilled continuously at `capacity` per `windowMs`. */
export interface RateLimitRule {
  readonly capacity: number;
  readonly windowMs: number;
}

export type RateLimitDecision = { readonly allowed: true; readonly remaining: number } | { readonly allowed: false; readonly retryAfterMs: number };

export interface RateLimiter {
  /** Takes `cost` tokens (default 1) from the bucket at `key` when available. */
  take(key: string, rule: RateLimitRule, cost?: number): Promise<RateLimitDecision>;
}

/** Pure bucket arithmetic shared by the in-process limiter (the Redis script mirrors it). */
export function refill(state: { tokens: number; updatedAt: number }, rule: RateLimitRule, now: number): number {
  const elapsed = Math.max(0, now - state.updatedAt);
  return Math.min(rule.capacity, state.tokens + (elapsed * rule.capacity) / rule.windowMs);
}
