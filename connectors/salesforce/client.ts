import type { z } from 'zod';
import type { Logger } from '../../src/core/logger.js';
import type { CredentialAccessor, LinkedCredential } from '../../src/tools/credentials.js';
import { ConnectorTimeoutError, parseRetryAfter } from '../shared/errors.js';
import { parseJsonBody, parseJsonOrUndefined } from '../shared/http/body.js';
import { withFreshTokenOnce } from '../shared/http/freshToken.js';
import { connectorRetryPolicy } from '../shared/http/retryPolicy.js';
import { jsonRequestInit, timedFetch } from '../shared/http/timedFetch.js';
import { withQuery } from '../shared/http/url.js';
import { API_PREFIX, SALESFORCE } from './constants.js';
import { SalesforceApiError, SalesforceRateLimitError, SalesforceResponseError } from './errors.js';
import { dailyLimitReached, parseLimitInfo, type LimitInfo } from './limits.js';
import { sfErrorBodySchema, sfQueryResponseSchema, type SfRecord } from './schemas.js';
import { SalesforceUnreachableError } from './unreachable.js';

export interface SalesforceClientOptions {
  /** Used only when the linked credential carries no `instance_url` (it always should). */
  readonly baseUrl: string;
  readonly credentials: CredentialAccessor;
  readonly logger: Logger;
  readonly signal?: AbortSignal;
  /** Per HTTP attempt. */
  readonly timeoutMs?: number;
  /** Attempts for idempotent requests, the first one included. */
  readonly maxAttempts?: number;
  /** No retry starts after this much time has passed since the call began. */
  readonly deadlineMs?: number;
  readonly fetch?: typeof fetch;
}

export interface SfRequest<T> {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Relative to `/services/data/v68.0` (e.g. `/sobjects/Case/500…`), or a full `/services/…` path such as a `nextRecordsUrl`. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string | undefined>>;
  readonly body?: unknown;
  /** Parses the 2xx body; omit for 204 answers. */
  readonly schema?: z.ZodType<T>;
  /** Safe to repeat on 5xx/limit bursts: GETs, upserts by external id, PATCHes that set absolute values. */
  readonly idempotent?: boolean;
}

export interface SfResponse<T> {
  readonly status: number;
  readonly data: T;
  readonly limit?: LimitInfo;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_DEADLINE_MS = 30_000;

/**
 * The Salesforce REST API as one employee sees it: their bearer token, their `instance_url`. The
 * token lives only in the `authorization` header; errors carry Salesforce's message and the path.
 */
export class SalesforceClient {
  private readonly fetchImpl: typeof fetch;
  private readonly timeoutMs: number;

  constructor(private readonly options: SalesforceClientOptions) {
    this.fetchImpl = options.fetch ?? fetch;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  async request<T>(req: SfRequest<T>): Promise<SfResponse<T>> {
    const idempotent = req.idempotent ?? req.method === 'GET';
    if (!idempotent) return this.withFreshTokenOnce(req);
    const policy = connectorRetryPolicy({
      maxAttempts: this.options.maxAttempts ?? 5,
      shouldRetry: isTransient,
      toldDelayMs: (error) => (error instanceof SalesforceRateLimitError && error.hinted ? error.retryAfterMs : undefined),
      jitter: Math.random,
      deadline: Date.now() + (this.options.deadlineMs ?? DEFAULT_DEADLINE_MS),
    });
    return policy.execute(() => this.withFreshTokenOnce(req), this.options.signal);
  }

  /** Runs SOQL and follows `nextRecordsUrl` until `done` or `maxRecords`. */
  async query(soql: string, maxRecords = 2_000): Promise<SfRecord[]> {
    const records: SfRecord[] = [];
    let page = await this.request({ method: 'GET', path: '/query', query: { q: soql }, schema: sfQueryResponseSchema });
    records.push(...page.data.records);
    while (!page.data.done && page.data.nextRecordsUrl && records.length < maxRecords) {
      page = await this.request({ method: 'GET', path: page.data.nextRecordsUrl, schema: sfQueryResponseSchema });
      records.push(...page.data.records);
    }
    return records.slice(0, maxRecords);
  }

  /** The employee's org host, for links the employee can open. */
  async instanceUrl(): Promise<string> {
    return this.base(await this.options.credentials.forUser()).origin;
  }

  /** 401 INVALID_SESSION_ID: the session timed out or was revoked. Refresh once, then give up. */
  private withFreshTokenOnce<T>(req: SfRequest<T>): Promise<SfResponse<T>> {
    return withFreshTokenOnce(
      this.options.credentials,
      async () => this.send(req, await this.options.credentials.forUser()),
      (error) => error instanceof SalesforceApiError && error.status === 401,
    );
  }

  private async send<T>(req: SfRequest<T>, credential: LinkedCredential): Promise<SfResponse<T>> {
    const url = this.url(req, credential);
    const what = `${req.method} ${url.pathname}`;
    const { response, text, ms } = await timedFetch({
      fetch: this.fetchImpl,
      url,
      init: jsonRequestInit(req.method, `Bearer ${credential.accessToken}`, req.body),
      timeoutMs: this.timeoutMs,
      signal: this.options.signal,
      onTimeout: () => new ConnectorTimeoutError(SALESFORCE, this.timeoutMs),
      onNetworkError: (cause) => new SalesforceUnreachableError(what, cause),
    });
    const limit = parseLimitInfo(response.headers.get('sforce-limit-info'));
    const log = { method: req.method, path: url.pathname, status: response.status, ms, ...(limit ? { apiUsage: `${limit.used}/${limit.max}` } : {}) };
    if (response.ok) {
      this.options.logger.debug(log, 'salesforce call');
      const data = req.schema ? parseJsonBody(text, req.schema, what, (detail) => new SalesforceResponseError(detail)) : (undefined as T);
      return { status: response.status, data, ...(limit ? { limit } : {}) };
    }
    this.options.logger.info(log, 'salesforce call failed');
    throw toError(response, text, what, limit);
  }

  private base(credential: LinkedCredential): URL {
    const raw = credential.metadata['instance_url'] ?? this.options.baseUrl;
    const base = new URL(raw);
    if (base.protocol !== 'https:' && base.protocol !== 'http:') throw new SalesforceResponseError(`instance_url is not an http(s) URL`);
    return base;
  }

  private url<T>(req: SfRequest<T>, credential: LinkedCredential): URL {
    const base = this.base(credential);
    if (/^[a-z]+:/i.test(req.path) || req.path.startsWith('//')) throw new SalesforceResponseError('absolute URLs are not followed');
    const path = req.path.startsWith('/services/') ? req.path : `${API_PREFIX}${req.path}`;
    return withQuery(new URL(path, base), req.query);
  }
}

function toError(response: Response, text: string, what: string, limit: LimitInfo | undefined): Error {
  const parsed = sfErrorBodySchema.safeParse(parseJsonOrUndefined(text));
  const body = parsed.success ? parsed.data : undefined;
  const limited = response.status === 429 || body?.some((e) => e.errorCode === 'REQUEST_LIMIT_EXCEEDED');
  if (limited) {
    const told = parseRetryAfter(response.headers.get('retry-after'));
    const daily = dailyLimitReached(limit);
    return new SalesforceRateLimitError({
      status: response.status,
      message: body?.[0]?.message ?? `${what} was rate limited`,
      // The daily allowance is a rolling 24 hours; an hour is the earliest a retry is worth it.
      retryAfterMs: told ?? (daily ? 3_600_000 : 1_000),
      hinted: told !== undefined,
      dailyLimitReached: daily,
    });
  }
  return new SalesforceApiError(response.status, body, `${what} failed with HTTP ${response.status}`);
}

function isTransient(error: Error): boolean {
  if (error instanceof SalesforceRateLimitError) return !error.dailyLimitReached;
  if (error instanceof SalesforceApiError) return error.status >= 500;
  return error instanceof ConnectorTimeoutError || error instanceof SalesforceUnreachableError;
}

