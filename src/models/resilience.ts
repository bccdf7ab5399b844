import {
  ConsecutiveBreaker, DelegateBackoff, TimeoutStrategy, circuitBreaker, handleWhen, retry, timeout, wrap,
  type CircuitBreakerPolicy, type IPolicy, type IRetryBackoffContext,
} from 'cockatiel';
import { ProviderCallError } from './errors.js';

export interface ResilienceOptions {
  /** Retries after the first attempt on 429/5xx/connection errors. */
  readonly maxRetries: number;
  /** First backoff when the provider gives no Retry-After; doubles per attempt. */
  readonly baseDelayMs: number;
  /** Longer Retry-After values are not waited out: the call fails over to the next tier instead. */
  readonly maxRetryAfterMs: number;
  /** Consecutive failed calls that open a provider's breaker. */
  readonly breakerThreshold: number;
  readonly breakerHalfOpenAfterMs: number;
}

export const DEFAULT_RESILIENCE: ResilienceOptions = {
  maxRetries: 2,
  baseDelayMs: 250,
  maxRetryAfterMs: 10_000,
  breakerThreshold: 5,
  breakerHalfOpenAfterMs: 15_000,
};

/** A provider fault (not our caller giving up) that a retry could fix. */
export function isRetryable(error: Error): boolean {
  return error instanceof ProviderCallError && error.retryable;
}

/**
 * One breaker per provider endpoint, shared by every tenant and tier that points at it, so a dead
 * provider is skipped quickly everywhere. Owned by whoever builds the gateways (no module state).
 */
export class BreakerRegistry {
  private readonly breakers = new Map<string, CircuitBreakerPolicy>();
  constructor(private readonly options: ResilienceOptions = DEFAULT_RESILIENCE) {}

  for(providerKey: string): CircuitBreakerPolicy {
    let breaker = this.breakers.get(providerKey);
    if (!breaker) {
      breaker = circuitBreaker(handleWhen((e) => e instanceof ProviderCallError), {
        halfOpenAfter: this.options.breakerHalfOpenAfterMs,
        breaker: new ConsecutiveBreaker(this.options.breakerThreshold),
      });
      this.breakers.set(providerKey, breaker);
    }
    return breaker;
  }
}

export interface RetryObserver {
  (event: { attempt: number; delayMs: number; status?: number }): void;
}

/**
 * breaker(retry(timeout(call))): every attempt gets its own timeout, the retry honours Retry-After,
 * and the breaker counts one failure per exhausted call.
 */
export function buildCallPolicy(options: { breaker: CircuitBreakerPolicy; timeoutMs: number; resilience: ResilienceOptions; onRetry?: RetryObserver }): IPolicy {
  const { resilience } = options;
  const backoff = new DelegateBackoff<IRetryBackoffContext<unknown>>((context) => {
    const error = 'error' in context.result ? context.result.error : undefined;
    const asked = error instanceof ProviderCallError ? error.retryAfterMs : undefined;
    if (asked !== undefined) return Math.min(asked, resilience.maxRetryAfterMs);
    return resilience.baseDelayMs * 2 ** (context.attempt - 1);
  });
  const retryPolicy = retry(
    handleWhen((e) => isRetryable(e) && !(e instanceof ProviderCallError && (e.retryAfterMs ?? 0) > resilience.maxRetryAfterMs)),
    { maxAttempts: resilience.maxRetries, backoff },
  );
  if (options.onRetry) {
    const observer = options.onRetry;
    retryPolicy.onRetry((event) => {
      const error = 'error' in event ? event.error : undefined;
      observer({ attempt: event.attempt, delayMs: event.delay, ...(error instanceof ProviderCallError && error.status !== undefined ? { status: error.status } : {}) });
    });
  }
  return wrap(options.breaker, retryPolicy, timeout(options.timeoutMs, TimeoutStrategy.Cooperative));
}
