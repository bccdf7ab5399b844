import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { RateLimiter, RateLimitRule } from '../infra/rateLimiter.js';
import { tenantKey } from '../infra/keys.js';

/**
 * Nine attempts in a burst per account, then one more every ~67 s: the bucket refills slower than
 * one token a minute, so the tenth attempt within any minute is always refused (before the password
 * is checked), and a locked-out administrator waits about a minute, not longer.
 */
export const PER_ACCOUNT: RateLimitRule = { capacity: 9, windowMs: 10 * 60_000 };
/** Per client address, across accounts (password spraying), a little more room for shared offices. */
export const PER_ADDRESS: RateLimitRule = { capacity: 30, windowMs: 60_000 };

/**
 * Password sign-in attempts are throttled per account and per client address, on the shared rate
 * limiter (Redis when configured, so the limit holds across processes). Every attempt counts, right
 * or wrong: counting only failures would let the tenth guess through whenever it happens to be right.
 */
export class LoginThrottle {
  constructor(private readonly limiter: RateLimiter) {}

  /** Resolves the milliseconds to wait when refused, or null when the attempt may go ahead. */
  async refuse(tenantId: string, email: string, req: IncomingMessage): Promise<number | null> {
    const account = createHash('sha256').update(email.trim().toLowerCase()).digest('hex').slice(0, 32);
    const byAccount = await this.limiter.take(tenantKey(tenantId, 'login-account', account), PER_ACCOUNT);
    // The address bucket is shared by every tenant: spraying passwords across tenants is one attacker.
    const byAddress = await this.limiter.take(`login-address:${clientAddress(req)}`, PER_ADDRESS);
    const waits = [byAccount, byAddress].filter((d) => !d.allowed).map((d) => ('retryAfterMs' in d ? d.retryAfterMs : 0));
    return waits.length > 0 ? Math.max(...waits) : null;
  }
}

/**
 * The peer address of the connection. X-Forwarded-For is not trusted: behind a proxy every request
 * shares the proxy's address, which only makes the per-address limit stricter, never looser.
 */
export function clientAddress(req: IncomingMessage): string {
  return (req.socket.remoteAddress ?? 'unknown').replace(/^::ffff:/, '');
}
