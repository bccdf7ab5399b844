import type { z } from 'zod';
import type { Logger } from '../../src/core/logger.js';
import type { CredentialAccessor } from '../../src/tools/credentials.js';
import { ConnectorTimeoutError } from '../shared/errors.js';
import { parseJsonBody, parseJsonOrUndefined } from '../shared/http/body.js';
import { withFreshTokenOnce } from '../shared/http/freshToken.js';
import { connectorRetryPolicy } from '../shared/http/retryPolicy.js';
import { jsonRequestInit, timedFetch } from '../shared/http/timedFetch.js';
import { urlOnOrigin } from '../shared/http/url.js';
import { SERVICENOW, ServiceNowApiError, ServiceNowRateLimitError, ServiceNowResponseError } from './errors.js';
import { linkRel, rateLimitInfo, rateLimitWaitMs, totalCount } from './http.js';
import { serviceNowErrorBodySchema } from './schemas.js';

export interface ServiceNowClientOptions {
  readonly baseUrl: string;
  readonly credentials: CredentialAccessor;
  readonly logger: Logger;
  readonly signal?: AbortSignal;
  /** Per HTTP attempt. */
  readonly timeoutMs?: number;
  /** Attempts for idempotent requests and guarded writes (first try included). */
  readonly maxAttempts?: number;
  /** A 429 asking for a longer wait than this surfaces instead of being slept on. */
  readonly maxRateLimitWaitMs?: number;
  /** First backoff step after a 5xx; doubles per attempt. */
  readonly retryBaseMs?: number;
  readonly fetch?: typeof fetch;
}

export type Query = Readonly<Record<string, string | number | boolean | undefined>>;

export interface ServiceNowRequest<T> {
  readonly method: 'GET' | 'POST' | 'PATCH';
  /** Path on the instance, e.g. `/api/now/table/incident`; a full URL from a `Link` header is accepted. */
  readonly path: string;
  readonly query?: Query;
  readonly body?: unknown;
  readonly schema: z.ZodType<T>;
  /** Safe to retry on 429/5xx; defaults to true for GET only. */
  readonly idempotent?: boolean;
}

export interface ServiceNowResponse<T> {
  readonly status: number;
  readonly data: T;
  readonly next?: string;
  readonly totalCount?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * One ServiceNow instance, seen through one employee's OAuth grant. The access token lives only in
 * the outgoing `authorization` header: errors carry ServiceNow's own message and the request's
 * method and path, log lines carry status and timing.
 */
export class ServiceNowClient {
  private readonly fetchImpl: typeof fetch;
  private readonly timeoutMs: number;

  constructor(private readonly options: ServiceNowClientOptions) {
    this.fetchImpl = options.fetch ?? fetch;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  get baseUrl(): string {
    return this.options.baseUrl;
  }

  async request<T>(req: ServiceNowRequest<T>): Promise<ServiceNowResponse<T>> {
    const idempotent = req.idempotent ?? req.method === 'GET';
    if (!idempotent) return this.withFreshTokenOnce(req);
    return this.retrying(() => this.withFreshTokenOnce(req), true);
  }

  /**
   * A write made safe to repeat by a read-back: each attempt first asks `find` whether an earlier
   * attempt already landed, and only writes when it did not. A timeout is not retried, since the
   * lost write may still be in flight; the engine's reconcile settles it later.
   */
  async guardedWrite<T>(find: () => Promise<T | undefined>, write: () => Promise<T>): Promise<T> {
    return this.retrying(async () => (await find()) ?? write(), false);
  }

  /** Follows `Link: <…sysparm_offset=…>;rel="next"` until ServiceNow stops sending one or `maxItems` is reached. */
  async paginate<T>(req: ServiceNowRequest<{ result: T[] }>, maxItems = 1_000): Promise<T[]> {
    const items: T[] = [];
    let current: ServiceNowRequest<{ result: T[] }> | undefined = req;
    // Pages can come back short (ACLs filter after sysparm_limit), so only the Link header ends paging.
    while (current && items.length < maxItems) {
      const page: ServiceNowResponse<{ result: T[] }> = await this.request(current);
      items.push(...page.data.result);
      current = page.next ? { ...req, path: page.next, query: {} } : undefined;
    }
    return items.slice(0, maxItems);
  }

  private retrying<R>(fn: () => Promise<R>, retryTimeouts: boolean): Promise<R> {
    const maxWait = this.options.maxRateLimitWaitMs ?? 15_000;
    const policy = connectorRetryPolicy({
      maxAttempts: this.options.maxAttempts ?? 4,
      shouldRetry: (error) => isRetryable(error, retryTimeouts, maxWait),
      toldDelayMs: (error) => (error instanceof ServiceNowRateLimitError ? error.retryAfterMs : undefined),
      baseDelayMs: this.options.retryBaseMs ?? 200,
    });
    return policy.execute(() => fn(), this.options.signal);
  }

  /** A rejected token is usually an expired one: drop it, refresh once, then give up. */
  private withFreshTokenOnce<T>(req: ServiceNowRequest<T>): Promise<ServiceNowResponse<T>> {
    return withFreshTokenOnce(this.options.credentials, () => this.send(req), (error) => error instanceof ServiceNowApiError && error.status === 401);
  }

  private async send<T>(req: ServiceNowRequest<T>): Promise<ServiceNowResponse<T>> {
    const credential = await this.options.credentials.forUser();
    // A Link header must never carry the token to another host.
    const url = urlOnOrigin(this.options.baseUrl, req.path, req.query, (origin) => new ServiceNowResponseError('link', `next page points outside the instance (${origin})`));
    const { response, text, ms } = await timedFetch({
      fetch: this.fetchImpl,
      url,
      init: jsonRequestInit(req.method, `Bearer ${credential.accessToken}`, req.body),
      timeoutMs: this.timeoutMs,
      signal: this.options.signal,
      onTimeout: () => new ConnectorTimeoutError(SERVICENOW, this.timeoutMs),
    });
    const what = `${req.method} ${url.pathname}`;
    const log = { method: req.method, path: url.pathname, status: response.status, ms, ...rateLimitInfo(response.headers) };
    if (!response.ok) {
      this.options.logger.info(log, 'servicenow call failed');
      throw toError(response, text, what);
    }
    this.options.logger.debug(log, 'servicenow call');
    const next = linkRel(response.headers.get('link'), 'next');
    const total = totalCount(response.headers);
    const data = parseJsonBody(text, req.schema, what, (detail) => new ServiceNowResponseError('body', detail));
    return { status: response.status, data, ...(next ? { next } : {}), ...(total === undefined ? {} : { totalCount: total }) };
  }
}

function toError(response: Response, text: string, what: string): Error {
  const parsed = serviceNowErrorBodySchema.safeParse(parseJsonOrUndefined(text));
  const errorBody = parsed.success ? parsed.data : undefined;
  if (response.status === 429) {
    const info = rateLimitInfo(response.headers);
    return new ServiceNowRateLimitError({
      message: errorBody ? `${errorBody.error.message}${errorBody.error.detail ? ` (${errorBody.error.detail})` : ''}` : `${what} was rate limited`,
      retryAfterMs: rateLimitWaitMs(response.headers),
      ...(info.limitPerHour === undefined ? {} : { limitPerHour: info.limitPerHour }),
      ...(info.rule === undefined ? {} : { rule: info.rule }),
    });
  }
  return new ServiceNowApiError(response.status, errorBody, `${what} failed with HTTP ${response.status}`);
}

function isRetryable(error: unknown, retryTimeouts: boolean, maxRateLimitWaitMs: number): boolean {
  if (error instanceof ServiceNowRateLimitError) return error.retryAfterMs <= maxRateLimitWaitMs;
  if (error instanceof ServiceNowApiError) return error.status >= 500;
  return retryTimeouts && error instanceof ConnectorTimeoutError;
}
