import { context, createContextKey, SpanKind, SpanStatusCode, type Attributes, type Context, type Link, type Span, type Tracer } from '@opentelemetry/api';

/**
 * The tracer travels in the active OpenTelemetry context (set by every span Switchboard opens), so
 * code far below the composition root (connector HTTP clients built per call, the model gateway
 * built per tenant) can add child spans without a global tracer provider or a module singleton.
 * Outside a traced run there is no tracer and these helpers do nothing.
 */
const TRACER_KEY = createContextKey('switchboard.tracer');

export function activeTracer(): Tracer | undefined {
  return context.active().getValue(TRACER_KEY) as Tracer | undefined;
}

export interface SpanOptions {
  readonly kind?: SpanKind;
  readonly links?: Link[];
  /** Start a new trace instead of a child of the active span. */
  readonly root?: boolean;
  /** Parent context (a trace carried across the queue) instead of the active one. */
  readonly parent?: Context;
}

/**
 * Runs `fn` inside a span of `tracer`. Failures are marked with the error's stable `code` only:
 * exception messages may quote employee text or connector answers, so they are never recorded.
 */
export async function inSpan<T>(tracer: Tracer, name: string, attributes: Attributes, fn: (span: Span) => Promise<T>, options: SpanOptions = {}): Promise<T> {
  const parent = (options.parent ?? context.active()).setValue(TRACER_KEY, tracer);
  return tracer.startActiveSpan(
    name,
    { kind: options.kind ?? SpanKind.INTERNAL, attributes, ...(options.links ? { links: options.links } : {}), ...(options.root ? { root: true } : {}) },
    parent,
    async (span) => {
      try {
        return await fn(span);
      } catch (error) {
        const code = typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : 'error';
        span.setAttribute('error.type', code);
        span.setStatus({ code: SpanStatusCode.ERROR });
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

/** A child span of the active traced work, or plain `fn` when nothing is being traced. */
export function inChildSpan<T>(name: string, attributes: Attributes, fn: (span: Span | undefined) => Promise<T>, kind: SpanKind = SpanKind.INTERNAL): Promise<T> {
  const tracer = activeTracer();
  return tracer ? inSpan(tracer, name, attributes, fn, { kind }) : fn(undefined);
}
