import { SpanKind } from '@opentelemetry/api';
import { inChildSpan } from '../../../src/observability/tracingContext.js';

export interface TimedFetchInput {
  readonly fetch: typeof fetch;
  readonly url: URL | string;
  readonly init: Omit<RequestInit, 'signal'>;
  /** Per attempt, covering the response body as well as the headers. */
  readonly timeoutMs: number;
  /** The run's signal: its abort is passed on unchanged, never reported as a timeout. */
  readonly signal?: AbortSignal | undefined;
  /** The connector's typed timeout error. */
  readonly onTimeout: () => Error;
  /** The connector's typed "could not connect" error; without one the fetch failure is rethrown. */
  readonly onNetworkError?: (cause: unknown) => Error;
}

export interface TimedAnswer {
  readonly response: Response;
  readonly text: string;
  readonly ms: number;
}

/**
 * One HTTP exchange with a per-attempt timeout joined to the run's abort signal. The body is read
 * inside the timeout, so a server that stalls mid-body counts as a timeout too.
 */
export function timedFetch(input: TimedFetchInput): Promise<TimedAnswer> {
  // Only method, host and path are recorded: query strings and headers can carry tokens.
  const url = new URL(String(input.url));
  const method = (input.init.method ?? 'GET').toUpperCase();
  return inChildSpan(`HTTP ${method}`, { 'http.request.method': method, 'server.address': url.hostname, 'url.path': url.pathname }, async (span) => {
    const answer = await exchange(input);
    span?.setAttribute('http.response.status_code', answer.response.status);
    return answer;
  }, SpanKind.CLIENT);
}

async function exchange(input: TimedFetchInput): Promise<TimedAnswer> {
  const timeout = AbortSignal.timeout(input.timeoutMs);
  const signal = input.signal ? AbortSignal.any([input.signal, timeout]) : timeout;
  const started = Date.now();
  try {
    const response = await input.fetch(input.url, { ...input.init, signal });
    const text = await response.text();
    return { response, text, ms: Date.now() - started };
  } catch (error) {
    if (input.signal?.aborted) throw error;
    if (timeout.aborted) throw input.onTimeout();
    throw input.onNetworkError ? input.onNetworkError(error) : error;
  }
}

/** The headers and body of a JSON API call; `content-type` only when there is a body. */
export function jsonRequestInit(method: string, authorization: string, body: unknown, accept = 'application/json'): Omit<RequestInit, 'signal'> {
  const headers: Record<string, string> = { accept, authorization };
  if (body === undefined) return { method, headers };
  headers['content-type'] = 'application/json';
  return { method, headers, body: JSON.stringify(body) };
}
