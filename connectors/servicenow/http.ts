import { parseRetryAfter } from '../shared/errors.js';
import { headerNumber, linkTarget } from '../shared/http/headers.js';

/** ServiceNow's paging and rate-limit headers (connectors.md §1.2, §1.4). */

/** The target of `rel="next"` in a `Link` header: `<url>;rel="next",<url>;rel="last"`. */
export function linkRel(header: string | null, rel: string): string | undefined {
  return linkTarget(header, rel);
}

export interface RateLimitInfo {
  /** Requests per hour allowed by the matching rule. */
  readonly limitPerHour?: number;
  /** Unix seconds when the hourly window resets. */
  readonly reset?: number;
  /** sys_id of the `sys_rate_limit_rules` record that matched. */
  readonly rule?: string;
}

/** ServiceNow sends these only when an admin-defined rule matches the request. */
export function rateLimitInfo(headers: Headers): RateLimitInfo {
  const info: { limitPerHour?: number; reset?: number; rule?: string } = {};
  const limit = headerNumber(headers, 'x-ratelimit-limit');
  const reset = headerNumber(headers, 'x-ratelimit-reset');
  const rule = headers.get('x-ratelimit-rule');
  if (limit !== undefined) info.limitPerHour = limit;
  if (reset !== undefined) info.reset = reset;
  if (rule) info.rule = rule;
  return info;
}

/** Retry-After first; without one, until X-RateLimit-Reset; otherwise a second. */
export function rateLimitWaitMs(headers: Headers, now = Date.now()): number {
  const retryAfter = parseRetryAfter(headers.get('retry-after'), now);
  if (retryAfter !== undefined) return retryAfter;
  const { reset } = rateLimitInfo(headers);
  return reset === undefined ? 1_000 : Math.max(0, reset * 1000 - now);
}

export function totalCount(headers: Headers): number | undefined {
  return headerNumber(headers, 'x-total-count');
}
