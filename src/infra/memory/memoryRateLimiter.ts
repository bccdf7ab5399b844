import { refill, type RateLimitDecision, type RateLimitRule, type RateLimiter } from '../rateLimiter.js';

export class MemoryRateLimiter implements RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; updatedAt: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  async take(key: string, rule: RateLimitRule, cost = 1): Promise<RateLimitDecision> {
    const now = this.now();
    const state = this.buckets.get(key) ?? { tokens: rule.capacity, updatedAt: now };
    const tokens = refill(state, rule, now);
    if (tokens >= cost) {
      this.buckets.set(key, { tokens: tokens - cost, updatedAt: now });
      return { allowed: true, remaining: Math.floor(tokens - cost) };
    }
    this.buckets.set(key, { tokens, updatedAt: now });
    return { allowed: false, retryAfterMs: Math.ceil(((cost - tokens) * rule.windowMs) / rule.capacity) };
  }
}
