import { context, trace, ROOT_CONTEXT, SpanKind, type Attributes, type Context, type Link, type Span, type SpanContext, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AlwaysOffSampler, BasicTracerProvider, BatchSpanProcessor, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { inSpan, type SpanOptions } from './tracingContext.js';

/** What the product's traced boundaries need: open spans, and carry a trace through a job payload. */
export interface Tracing {
  /** False when no OTEL_* variable asks for export: spans are then not recorded at all. */
  readonly enabled: boolean;
  readonly tracer: Tracer;
  inSpan<T>(name: string, attributes: Attributes, fn: (span: Span) => Promise<T>, options?: SpanOptions): Promise<T>;
  /** W3C `traceparent` of the active span (undefined when none is recording), for a job payload or a stored row. */
  carrier(): string | undefined;
  /** The context a carried `traceparent` continues, or undefined when it is absent or malformed. */
  continueFrom(traceparent: string | undefined): Context | undefined;
  /** A link to the trace a carried `traceparent` names (a resumed run points at its first trace). */
  linkTo(traceparent: string | undefined): Link | undefined;
  /** The trace id of the active span, for log lines. */
  activeTraceId(): string | undefined;
  shutdown(): Promise<void>;
}

export interface TracingOptions {
  /** The standard OTEL_* variables (process.env in production). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Tests hand the SDK's InMemorySpanExporter here; spans are then exported synchronously. */
  readonly exporter?: SpanExporter;
}

/** Whether the OTEL_* variables ask for traces: an OTLP endpoint or `OTEL_TRACES_EXPORTER=otlp`, and not disabled. */
export function tracesRequested(env: TracingOptions['env']): boolean {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return false;
  const exporters = (env.OTEL_TRACES_EXPORTER ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  if (exporters.includes('none')) return false;
  return exporters.includes('otlp') || Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

/** The OTLP/HTTP traces URL from the given variables; the exporter's own defaults (and headers) apply otherwise. */
function otlpTarget(env: TracingOptions['env']): { url: string } | undefined {
  const traces = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  if (traces) return { url: traces };
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  return base ? { url: `${base.replace(/\/+$/, '')}/v1/traces` } : undefined;
}

const propagator = new W3CTraceContextPropagator();
const setter = { set: (carrier: Record<string, string>, key: string, value: string) => void (carrier[key] = value) };
const getter = {
  get: (carrier: Record<string, string>, key: string) => carrier[key],
  keys: (carrier: Record<string, string>) => Object.keys(carrier),
};

function spanContextOf(traceparent: string | undefined): SpanContext | undefined {
  if (!traceparent) return undefined;
  const extracted = propagator.extract(ROOT_CONTEXT, { traceparent }, getter);
  const spanContext = trace.getSpanContext(extracted);
  return spanContext && trace.isSpanContextValid(spanContext) ? spanContext : undefined;
}

/**
 * Builds the tracer provider from the OTEL_* variables. Nothing is exported (and no span recorded)
 * when they are unset. The async-hooks context manager is registered once per process through the
 * OpenTelemetry API, which is how that library propagates the active span; the provider itself is
 * not registered globally, it reaches our code only through this object.
 */
export function createTracing(options: TracingOptions): Tracing {
  const enabled = Boolean(options.exporter) || tracesRequested(options.env);
  const resource = resourceFromAttributes({ 'service.name': options.env.OTEL_SERVICE_NAME?.trim() || 'switchboard' });
  const provider = enabled
    ? new BasicTracerProvider({
      resource,
      spanProcessors: [options.exporter ? new SimpleSpanProcessor(options.exporter) : new BatchSpanProcessor(new OTLPTraceExporter(otlpTarget(options.env)))],
    })
    : new BasicTracerProvider({ resource, sampler: new AlwaysOffSampler() });
  if (enabled) context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const tracer = provider.getTracer('switchboard');
  return {
    enabled,
    tracer,
    inSpan: (name, attributes, fn, spanOptions) => inSpan(tracer, name, attributes, fn, spanOptions),
    carrier() {
      const active = trace.getSpanContext(context.active());
      if (!active || !trace.isSpanContextValid(active)) return undefined;
      const carrier: Record<string, string> = {};
      propagator.inject(context.active(), carrier, setter);
      return carrier.traceparent;
    },
    continueFrom(traceparent) {
      const spanContext = spanContextOf(traceparent);
      return spanContext ? trace.setSpanContext(ROOT_CONTEXT, spanContext) : undefined;
    },
    linkTo(traceparent) {
      const spanContext = spanContextOf(traceparent);
      return spanContext ? { context: spanContext, attributes: { 'switchboard.link': 'resumed_from' } } : undefined;
    },
    activeTraceId() {
      const active = trace.getSpanContext(context.active());
      return active && trace.isSpanContextValid(active) ? active.traceId : undefined;
    },
    shutdown: () => provider.shutdown(),
  };
}

export { SpanKind };
