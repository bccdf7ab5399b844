import { DelegateBackoff, handleWhen, retry, type IRetryBackoffContext, type RetryPolicy } from 'cockatiel';
import { HttpError, type TurnContext } from '@microsoft/agents-hosting';
import type { Logger } from '../../core/logger.js';
import type { TeamsSettings } from './settings.js';

/** Teams answers these when it throttles or a hop is briefly unavailable; anything else is final. */
const RETRYABLE = new Set([412, 429, 502, 503, 504]);

export function statusOf(error: unknown): number | undefined {
  return error instanceof HttpError ? error.status : undefined;
}

function retryAfterMs(error: unknown): number | undefined {
  if (!(error instanceof HttpError)) return undefined;
  const header = error.response?.headers?.get?.('retry-after');
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/**
 * Exponential backoff with full jitter, or the Retry-After Teams sent (capped). The jitter source is
 * injectable so tests stay deterministic.
 */
export function connectorRetryPolicy(settings: TeamsSettings['retry'], logger: Logger, random: () => number = Math.random): RetryPolicy {
  const backoff = new DelegateBackoff<IRetryBackoffContext<unknown>>((context) => {
    const error = 'error' in context.result ? context.result.error : undefined;
    const asked = retryAfterMs(error);
    if (asked !== undefined) return Math.min(asked, settings.maxDelayMs);
    const ceiling = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** (context.attempt - 1));
    return Math.round(ceiling / 2 + (random() * ceiling) / 2);
  });
  const policy = retry(handleWhen((error) => RETRYABLE.has(statusOf(error) ?? 0)), { maxAttempts: settings.maxAttempts, backoff });
  policy.onRetry((event) => {
    const error = 'error' in event ? event.error : undefined;
    logger.warn({ status: statusOf(error), attempt: event.attempt, delayMs: event.delay }, 'teams connector call throttled; retrying');
  });
  return policy;
}

/** Every send and edit made through this context is retried on throttling (StreamingResponse included). */
export function withRetries(context: TurnContext, policy: RetryPolicy): TurnContext {
  context.onSendActivities(async (_ctx, _activities, next) => policy.execute(() => next()));
  context.onUpdateActivity(async (_ctx, _activity, next) => policy.execute(() => next()));
  return context;
}
