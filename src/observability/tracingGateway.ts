import { SpanKind } from '@opentelemetry/api';
import type { Gateway } from '../gateway/gateway.js';
import type { Tracing } from './tracing.js';
import type { TraceOrigins } from './tracingQueue.js';

/** Stores the trace id of the request that created a run (the first one wins: retried deliveries keep it). */
export interface RunTraceIds {
  record(tenantId: string, runId: string, traceId: string): Promise<void>;
}

/**
 * The gateway inside the request's trace: a `<channel> receive` span for the channel's hand-over
 * and a `gateway submit` child around validation, persistence and enqueue (the queued job picks
 * the trace up from there). Attributes are ids only, never the message text.
 */
export function tracedGateway(gateway: Gateway, tracing: Tracing, origins: TraceOrigins, runTraces?: RunTraceIds): Gateway {
  if (!tracing.enabled) return gateway;
  return {
    identify: (request) => gateway.identify(request),
    submit: (turn) => {
      const ids = { 'switchboard.tenant_id': turn.tenantId, 'switchboard.channel': turn.channel };
      return tracing.inSpan(`${turn.channel} receive`, ids, () => tracing.inSpan('gateway submit', ids, async (span) => {
        const result = await gateway.submit(turn);
        span.setAttribute('switchboard.submit_status', result.status);
        if (result.status === 'refused') span.setAttribute('switchboard.refusal_code', result.code);
        if (result.status === 'accepted') {
          span.setAttribute('switchboard.run_id', result.runId);
          const carrier = tracing.carrier();
          if (carrier) await origins.record(turn.tenantId, result.runId, carrier).catch(() => undefined);
          // Kept on the run so /ops can name the trace; a lost write costs only that link, never the run.
          if (span.isRecording()) await runTraces?.record(turn.tenantId, result.runId, span.spanContext().traceId).catch(() => undefined);
        }
        return result;
      }), { kind: SpanKind.SERVER });
    },
  };
}
