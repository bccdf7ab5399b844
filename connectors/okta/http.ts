import { parseRetryAfter } from '../shared/errors.js';
import { headerNumber, linkTarget } from '../shared/http/headers.js';

/** Okta's rate-limit and paging headers. */

export interface RateLimitInfo {
  readonly limit?: number;
  readonly remaining?: number;
  /** UTC epoch seconds. */
  readonly reset?: number;
}

export function rateLimitInfo(headers: Headers): RateLimitInfo {
  const info: { limit?: number; remaining?: number; reset?: number } = {};
  const limit = headerNumber(headers, 'x-rate-limit-limit');
  const remaining = headerNumber(headers, 'x-rate-limit-remaining');
  const reset = headerNumber(headers, 'x-rate-limit-reset');
  if (limit !== undefined) info.limit = limit;
  if (remaining !== undefined) info.remaining = remaining;
  if (reset !== undefined) info.reset = reset;
  return info;
}

/**
 * Okta documents no Retry-After; the wait is until X-Rate-Limit-Reset. A Retry-After, should a proxy
 * add one, is honoured first.
 */
export function waitUntilReset(headers: Headers, now = Date.now()): number {
  const retryAfter = parseRetryAfter(headers.get('retry-after'), now);
  if (retryAfter !== undefined) return retryAfter;
  const { reset } = rateLimitInfo(headers);
  if (reset === undefined) return 1_000;
  return Math.max(0, reset * 1000 - now);
}

/** The `rel="next"` target of an RFC 8288 Link header, as Okta sends it for `after` cursors. */
export function nextLink(header: string | null): string | undefined {
  return linkTarget(header, 'next');
}
