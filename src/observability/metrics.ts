import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Every metric the engine, tool pipeline and queue update; one instance per process, injected. */
export interface EngineMetrics {
  readonly registry: Registry;
  readonly runsByStatus: Counter<'tenant' | 'status'>;
  readonly stepSeconds: Histogram<'tenant' | 'status'>;
  /** `connector` is the connector id (or the breaker id, or `builtin`): configured, so bounded. */
  readonly toolSeconds: Histogram<'tenant' | 'connector' | 'tool' | 'outcome'>;
  /** HTTP requests at the edge by route group (never the raw path) and status class. */
  readonly httpRequests: Counter<'channel' | 'status_class'>;
  readonly httpSeconds: Histogram<'channel'>;
  readonly tokens: Counter<'tenant' | 'tier' | 'kind'>;
  readonly costMicros: Counter<'tenant' | 'tier'>;
  readonly approvals: Counter<'tenant' | 'decision'>;
  /** 0 closed, 1 half-open, 2 open. */
  readonly breakerState: Gauge<'tenant' | 'connector'>;
  readonly queueDepth: Gauge<'queue'>;
}

export function createMetrics(options: { defaultMetrics?: boolean; prefix?: string } = {}): EngineMetrics {
  const registry = new Registry();
  const p = options.prefix ?? 'switchboard_';
  if (options.defaultMetrics) collectDefaultMetrics({ register: registry, prefix: p });
  const registers = [registry];
  return {
    registry,
    runsByStatus: new Counter({ name: `${p}runs_total`, help: 'Runs reaching a status', labelNames: ['tenant', 'status'], registers }),
    stepSeconds: new Histogram({
      name: `${p}step_duration_seconds`, help: 'Step duration including the tool call', labelNames: ['tenant', 'status'], registers,
      buckets: [0.005, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    }),
    toolSeconds: new Histogram({
      name: `${p}tool_duration_seconds`, help: 'Tool execution latency', labelNames: ['tenant', 'connector', 'tool', 'outcome'], registers,
      buckets: [0.005, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    }),
    httpRequests: new Counter({ name: `${p}http_requests_total`, help: 'HTTP requests by channel (route group) and status class', labelNames: ['channel', 'status_class'], registers }),
    httpSeconds: new Histogram({
      name: `${p}http_request_duration_seconds`, help: 'HTTP request duration by channel (route group), until the response is sent', labelNames: ['channel'], registers,
      buckets: [0.005, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    }),
    tokens: new Counter({ name: `${p}model_tokens_total`, help: 'Model tokens', labelNames: ['tenant', 'tier', 'kind'], registers }),
    costMicros: new Counter({ name: `${p}model_cost_micros_total`, help: 'Model cost in micro-dollars', labelNames: ['tenant', 'tier'], registers }),
    approvals: new Counter({ name: `${p}approvals_total`, help: 'Approval decisions', labelNames: ['tenant', 'decision'], registers }),
    breakerState: new Gauge({ name: `${p}breaker_state`, help: 'Circuit breaker state (0 closed, 1 half-open, 2 open)', labelNames: ['tenant', 'connector'], registers }),
    queueDepth: new Gauge({ name: `${p}queue_depth`, help: 'Jobs waiting in the run queue', labelNames: ['queue'], registers }),
  };
}
