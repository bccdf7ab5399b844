import type { z } from 'zod';
import type { Logger } from '../../src/core/logger.js';
import type { CredentialAccessor, LinkedCredential } from '../../src/tools/credentials.js';
import { ConnectorTimeoutError } from '../shared/errors.js';
import { parseJsonBody, parseJsonOrUndefined } from '../shared/http/body.js';
import { withFreshTokenOnce } from '../shared/http/freshToken.js';
import { connectorRetryPolicy } from '../shared/http/retryPolicy.js';
import { jsonRequestInit, timedFetch } from '../shared/http/timedFetch.js';
import { urlOnOrigin } from '../shared/http/url.js';
import { OKTA, OktaApiError, OktaRateLimitError, OktaResponseError } from './errors.js';
import { nextLink, rateLimitInfo, waitUntilReset } from './http.js';
import { oktaErrorBodySchema } from './schemas.js';

/** Whose credential a call uses: the employee's own grant, or the tenant's admin-approved service credential. */
export type OktaAuth = 'user' | 'service';

export interface OktaClientOptions {
  readonly baseUrl: string;
  readonly credentials: CredentialAccessor;
  readonly logger: Logger;
  readonly signal?: AbortSignal;
  /** Per HTTP attempt. */
  readonly timeoutMs?: number;
  /** Attempts for idempotent requests (first try included). */
  readonly maxAttempts?: number;
  /** A 429 whose reset lies further away than this surfaces instead of waiting. */
  readonly maxRateLimitWaitMs?: number;
  /** `SSWS` for an API token, `Bearer` for an OAuth service app; the credential's metadata.authScheme wins. */
  readonly serviceAuthScheme?: 'SSWS' | 'Bearer';
  readonly fetch?: typeof fetch;
}

export interface OktaRequest<T> {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path under the org, e.g. `/api/v1/users/me`; a full URL from a `Link` header is accepted too. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>;
  readonly body?: unknown;
  readonly auth: OktaAuth;
  /** Parses the 2xx body; omit for 204/empty answers. */
  readonly schema?: z.ZodType<T>;
  /** Safe to retry on 429/5xx: GETs, and writes whose repetition cannot change the outcome (PUT membership). */
  readonly idempotent?: boolean;
  /** MyAccount endpoints demand a versioned Accept header. */
  readonly accept?: string;
}

export interface OktaResponse<T> {
  readonly status: number;
  readonly data: T;
  readonly next?: string;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * One Okta org, seen through one employee's request. Tokens stay inside `authorization` headers:
 * errors carry Okta's errorSummary and the request's method and path, never a credential.
 */
export class OktaClient {
  private readonly fetchImpl: typeof fetch;
  private readonly timeoutMs: number;

  constructor(private readonly options: OktaClientOptions) {
    this.fetchImpl = options.fetch ?? fetch;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  async request<T>(req: OktaRequest<T>): Promise<OktaResponse<T>> {
    const idempotent = req.idempotent ?? req.method === 'GET';
    if (!idempotent) return this.withFreshTokenOnce(req);
    const policy = connectorRetryPolicy({
      maxAttempts: this.options.maxAttempts ?? 4,
      shouldRetry: (error) => isRetryable(error) && !(error instanceof OktaRateLimitError && error.retryAfterMs > this.maxRateLimitWaitMs),
      toldDelayMs: (error) => (error instanceof OktaRateLimitError ? error.retryAfterMs : undefined),
    });
    return policy.execute(() => this.withFreshTokenOnce(req), this.options.signal);
  }

  /** Follows `Link: <…after=…>; rel="next"` until Okta stops sending one or `maxItems` is reached. */
  async paginate<T>(req: OktaRequest<T[]>, maxItems = 1_000): Promise<T[]> {
    const items: T[] = [];
    let current: OktaRequest<T[]> | undefined = req;
    while (current && items.length < maxItems) {
      const page: OktaResponse<T[]> = await this.request(current);
      items.push(...page.data);
      current = page.next ? { ...req, path: page.next, query: {} } : undefined;
    }
    return items.slice(0, maxItems);
  }

  /** A rejected user token is usually an expired or revoked one: refresh once, then give up. */
  private withFreshTokenOnce<T>(req: OktaRequest<T>): Promise<OktaResponse<T>> {
    return withFreshTokenOnce(
      this.options.credentials,
      async () => this.send(req, await this.credential(req.auth)),
      (error) => error instanceof OktaApiError && error.status === 401 && req.auth === 'user',
    );
  }

  private credential(auth: OktaAuth): Promise<LinkedCredential> {
    return auth === 'user' ? this.options.credentials.forUser() : this.options.credentials.forService();
  }

  private async send<T>(req: OktaRequest<T>, credential: LinkedCredential): Promise<OktaResponse<T>> {
    // A `Link` header must never send our token to another host.
    const url = urlOnOrigin(this.options.baseUrl, req.path, req.query, (origin) => new OktaResponseError('link', `next page points outside the Okta org (${origin})`));
    const scheme = req.auth === 'user' ? 'Bearer' : (credential.metadata['authScheme'] ?? this.options.serviceAuthScheme ?? 'SSWS');
    const { response, text, ms } = await timedFetch({
      fetch: this.fetchImpl,
      url,
      init: jsonRequestInit(req.method, `${scheme} ${credential.accessToken}`, req.body, req.accept),
      timeoutMs: this.timeoutMs,
      signal: this.options.signal,
      onTimeout: () => new ConnectorTimeoutError(OKTA, this.timeoutMs),
    });
    const log = { method: req.method, path: url.pathname, status: response.status, ms, ...rateLimitInfo(response.headers) };
    if (response.ok) {
      this.options.logger.debug(log, 'okta call');
      return { status: response.status, data: this.parse(req, text), ...optionalNext(response.headers) };
    }
    this.options.logger.info(log, 'okta call failed');
    throw this.toError(response, text, req);
  }

  private parse<T>(req: OktaRequest<T>, text: string): T {
    if (!req.schema) return undefined as T;
    return parseJsonBody(text, req.schema, `${req.method} ${pathOf(req.path)}`, (detail) => new OktaResponseError('body', detail));
  }

  private toError<T>(response: Response, text: string, req: OktaRequest<T>): Error {
    const parsed = oktaErrorBodySchema.safeParse(parseJsonOrUndefined(text));
    const errorBody = parsed.success ? parsed.data : undefined;
    const fallback = `${req.method} ${pathOf(req.path)} failed with HTTP ${response.status}`;
    if (response.status === 429) {
      const info = rateLimitInfo(response.headers);
      return new OktaRateLimitError({
        message: errorBody?.errorSummary ?? fallback,
        retryAfterMs: waitUntilReset(response.headers),
        ...(errorBody?.errorCode ? { vendorCode: errorBody.errorCode } : {}),
        ...(info.limit === undefined ? {} : { limit: info.limit }),
        ...(info.remaining === undefined ? {} : { remaining: info.remaining }),
      });
    }
    return new OktaApiError(response.status, errorBody, fallback);
  }

  /** A 429 that resets further away than this is surfaced rather than slept on. */
  private get maxRateLimitWaitMs(): number {
    return this.options.maxRateLimitWaitMs ?? 15_000;
  }
}

function isRetryable(error: Error): boolean {
  if (error instanceof OktaRateLimitError) return true;
  if (error instanceof OktaApiError) return error.status >= 500;
  return error instanceof ConnectorTimeoutError;
}

function optionalNext(headers: Headers): { next?: string } {
  const next = nextLink(headers.get('link'));
  return next ? { next } : {};
}

function pathOf(path: string): string {
  return path.startsWith('http') ? new URL(path).pathname : path.split('?')[0] ?? path;
}
