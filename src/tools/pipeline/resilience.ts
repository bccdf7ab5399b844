import {
  BulkheadPolicy, CircuitBreakerPolicy, CircuitState, ConsecutiveBreaker, ExponentialBackoff, TimeoutStrategy,
  bulkhead, circuitBreaker, handleWhen, retry, timeout, wrap, type IPolicy,
} from 'cockatiel';
import { isSwitchboardError } from '../../core/errors.js';
import type { EngineMetrics } from '../../observability/metrics.js';

export interface ResilienceSettings {
  readonly timeoutMs: number;
  readonly retryAttempts: number;
  readonly retryInitialDelayMs: number;
  readonly retryMaxDelayMs: number;
  readonly breakerFailures: number;
  readonly breakerHalfOpenAfterMs: number;
  readonly bulkheadPerTenant: number;
  readonly bulkheadQueuePerTenant: number;
}

export const DEFAULT_RESILIENCE: ResilienceSettings = {
  timeoutMs: 20_000,
  retryAttempts: 3,
  retryInitialDelayMs: 200,
  retryMaxDelayMs: 5_000,
  breakerFailures: 5,
  breakerHalfOpenAfterMs: 15_000,
  bulkheadPerTenant: 32,
  bulkheadQueuePerTenant: 256,
};

/** Only failures that say "try again" count: a 404 or a validation error must neither retry nor trip a breaker. */
export function isTransient(error: unknown): boolean {
  if (isSwitchboardError(error)) return error.retryable;
  return error instanceof TypeError || (error instanceof Error && /ECONNRESET|ECONNREFUSED|socket hang up|fetch failed/i.test(error.message));
}

const STATE_VALUE: Record<CircuitState, number> = {
  [CircuitState.Closed]: 0,
  [CircuitState.HalfOpen]: 1,
  [CircuitState.Open]: 2,
  [CircuitState.Isolated]: 2,
};

/**
 * Breakers (tenant + connector) and bulkheads (tenant) live in this object, one per engine, so
 * state is shared by the runs of one process but never by tests or tenants by accident.
 */
export class ResiliencePolicies {
  private readonly breakers = new Map<string, CircuitBreakerPolicy>();
  private readonly bulkheads = new Map<string, BulkheadPolicy>();

  constructor(
    readonly settings: ResilienceSettings = DEFAULT_RESILIENCE,
    private readonly metrics?: EngineMetrics,
  ) {}

  breaker(tenantId: string, connectorId: string): CircuitBreakerPolicy {
    const key = `${tenantId}\u0000${connectorId}`;
    let breaker = this.breakers.get(key);
    if (!breaker) {
      breaker = circuitBreaker(handleWhen(isTransient), {
        halfOpenAfter: this.settings.breakerHalfOpenAfterMs,
        breaker: new ConsecutiveBreaker(this.settings.breakerFailures),
      });
      breaker.onStateChange((state) => this.metrics?.breakerState.set({ tenant: tenantId, connector: connectorId }, STATE_VALUE[state]));
      this.breakers.set(key, breaker);
    }
    return breaker;
  }

  bulkhead(tenantId: string): BulkheadPolicy {
    let policy = this.bulkheads.get(tenantId);
    if (!policy) {
      policy = bulkhead(this.settings.bulkheadPerTenant, this.settings.bulkheadQueuePerTenant);
      this.bulkheads.set(tenantId, policy);
    }
    return policy;
  }

  /** bulkhead → breaker → retry (idempotent tools only) → timeout per attempt. */
  policyFor(input: { tenantId: string; connectorId: string; idempotent: boolean; timeoutMs?: number; onAttempt?: () => void }): IPolicy {
    const perAttempt = timeout(input.timeoutMs ?? this.settings.timeoutMs, TimeoutStrategy.Aggressive);
    const base = [this.bulkhead(input.tenantId), this.breaker(input.tenantId, input.connectorId)] as const;
    if (!input.idempotent) return wrap(...base, perAttempt);
    const retrying = retry(handleWhen(isTransient), {
      maxAttempts: this.settings.retryAttempts - 1,
      backoff: new ExponentialBackoff({ initialDelay: this.settings.retryInitialDelayMs, maxDelay: this.settings.retryMaxDelayMs }),
    });
    return wrap(...base, retrying, perAttempt);
  }
}
