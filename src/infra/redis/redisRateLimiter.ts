import type { Redis } from 'ioredis';
import type { RateLimitDecision, RateLimitRule, RateLimiter } from '../rateLimiter.js';

// Same arithmetic as refill() in rateLimiter.ts, evaluated atomically on the server with the
// server's clock so processes with skewed clocks share one bucket fairly.
const TAKE = `
local capacity = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or capacity
local at = tonumber(state[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - at) * capacity / window)
local allowed = 0
if tokens >= cost then tokens = tokens - cost allowed = 1 end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], window * 2)
if allowed == 1 then return {1, math.floor(tokens)} end
return {0, math.ceil((cost - tokens) * window / capacity)}`;

export class RedisRateLimiter implements RateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async take(key: string, rule: RateLimitRule, cost = 1): Promise<RateLimitDecision> {
    const [allowed, value] = (await this.redis.eval(TAKE, 1, this.prefix + key, rule.capacity, rule.windowMs, cost)) as [number, number];
    return allowed === 1 ? { allowed: true, remaining: value } : { allowed: false, retryAfterMs: value };
  }
}
