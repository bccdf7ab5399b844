import type { RetryPolicy } from 'cockatiel';
import { connectorRetryPolicy } from '../shared/http/retryPolicy.js';
import { isRetryableJiraError, retryDelayOf } from './errors.js';

export interface RetrySettings {
  /** Attempts in total, the first one included. */
  readonly maxAttempts: number;
  /** Epoch ms after which no further attempt starts; a Retry-After that ends later surfaces the error instead. */
  readonly deadline: number;
  readonly now?: () => number;
}

/**
 * Retries only what Jira marked transient (5xx, 429, timeouts, refused connections), waiting what
 * Retry-After says or a jittered backoff. Callers use it for GETs and for writes whose repetition is
 * guarded by a read-back, never for bare non-idempotent writes.
 */
export function jiraRetryPolicy(settings: RetrySettings): RetryPolicy {
  return connectorRetryPolicy({
    maxAttempts: settings.maxAttempts,
    shouldRetry: isRetryableJiraError,
    toldDelayMs: retryDelayOf,
    jitter: Math.random,
    deadline: settings.deadline,
    ...(settings.now ? { now: settings.now } : {}),
  });
}
