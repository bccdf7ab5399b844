import { z } from 'zod';
import type { Logger } from '../../src/core/logger.js';
import type { ConnectorInstanceConfig } from '../../src/tools/connector.js';
import type { CredentialAccessor, LinkedCredential } from '../../src/tools/credentials.js';
import { withFreshTokenOnce } from '../shared/http/freshToken.js';
import { jsonRequestInit, timedFetch } from '../shared/http/timedFetch.js';
import { withQuery } from '../shared/http/url.js';
import { JiraApiError, JiraNetworkError, JiraResponseError, JiraTimeoutError, jiraErrorFromResponse } from './errors.js';
import { jiraRetryPolicy } from './resilience.js';
import { resolveSite, type JiraSite } from './site.js';

export interface JiraClientOptions {
  readonly config: ConnectorInstanceConfig;
  readonly credentials: CredentialAccessor;
  readonly logger: Logger;
  readonly signal?: AbortSignal;
  /** Per HTTP attempt. */
  readonly timeoutMs?: number;
  /** Whole call, retries and Retry-After waits included. */
  readonly deadlineMs?: number;
  /** Attempts for retryable requests, the first one included. */
  readonly maxAttempts?: number;
  readonly fetch?: typeof fetch;
}

export type JiraQuery = Readonly<Record<string, string | number | boolean | undefined>>;

export interface JiraRequest<T> {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path under `/rest/api/3`, e.g. `/issue/NET-12`. */
  readonly path: string;
  readonly query?: JiraQuery;
  readonly body?: unknown;
  /** Parses a 2xx body; omit for 204 answers. */
  readonly schema?: z.ZodType<T>;
  /** Safe to repeat on 429/5xx. Defaults to true for GET only. */
  readonly idempotent?: boolean;
}

export interface JiraResponse<T> {
  readonly status: number;
  readonly data: T;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_DEADLINE_MS = 30_000;

/**
 * Jira Cloud REST v3 as one employee, through the Atlassian API gateway
 * (`{baseUrl}/ex/jira/{cloudId}/rest/api/3/...`). The access token lives only in the Authorization
 * header: log lines and errors carry method, path and Jira's own messages.
 */
export class JiraClient {
  private readonly fetchImpl: typeof fetch;
  private site?: Promise<JiraSite>;

  constructor(private readonly options: JiraClientOptions) {
    this.fetchImpl = options.fetch ?? fetch;
  }

  /** The Jira site the employee's grant reaches (cloud id + browse URL). */
  async currentSite(): Promise<JiraSite> {
    this.site ??= this.options.credentials.forUser().then((credential) =>
      resolveSite({ config: this.options.config, credential, fetch: this.fetchImpl, ...(this.options.signal ? { signal: this.options.signal } : {}) }),
    );
    try {
      return await this.site;
    } catch (error) {
      this.site = undefined;
      throw error;
    }
  }

  async request<T = undefined>(req: JiraRequest<T>): Promise<JiraResponse<T>> {
    const idempotent = req.idempotent ?? req.method === 'GET';
    const deadline = Date.now() + (this.options.deadlineMs ?? DEFAULT_DEADLINE_MS);
    if (!idempotent) return this.withFreshTokenOnce(req, deadline);
    const policy = jiraRetryPolicy({ maxAttempts: this.options.maxAttempts ?? 4, deadline });
    policy.onRetry((event) => {
      const reason = 'error' in event ? (event.error as { code?: string }).code : 'result';
      this.options.logger.warn({ connector: 'jira', method: req.method, path: req.path, attempt: event.attempt, delayMs: event.delay, reason }, 'jira request retried');
    });
    return policy.execute(() => this.withFreshTokenOnce(req, deadline), this.options.signal);
  }

  private async withFreshTokenOnce<T>(req: JiraRequest<T>, deadline: number): Promise<JiraResponse<T>> {
    const site = await this.currentSite();
    return withFreshTokenOnce(
      this.options.credentials,
      async () => this.finish(req, await this.send(req, site, await this.options.credentials.forUser(), deadline)),
      (error) => error instanceof JiraApiError && error.status === 401,
    );
  }

  private finish<T>(req: JiraRequest<T>, answer: RawAnswer): JiraResponse<T> {
    if (answer.status < 200 || answer.status >= 300) throw jiraErrorFromResponse(answer.status, answer.body, answer.headers);
    if (!req.schema) return { status: answer.status, data: undefined as T };
    const parsed = req.schema.safeParse(answer.body);
    if (!parsed.success) throw new JiraResponseError(req.method, req.path, z.prettifyError(parsed.error).slice(0, 300));
    return { status: answer.status, data: parsed.data };
  }

  private async send(req: JiraRequest<unknown>, site: JiraSite, credential: LinkedCredential, deadline: number): Promise<RawAnswer> {
    const url = withQuery(new URL(`${site.apiBase}/rest/api/3${req.path}`), req.query);
    const timeoutMs = Math.max(1, Math.min(this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS, deadline - Date.now()));
    const { response, text, ms } = await timedFetch({
      fetch: this.fetchImpl,
      url,
      init: jsonRequestInit(req.method, `Bearer ${credential.accessToken}`, req.body),
      timeoutMs,
      signal: this.options.signal,
      onTimeout: () => new JiraTimeoutError(timeoutMs),
      onNetworkError: (cause) => new JiraNetworkError(req.method, req.path, cause),
    });
    this.options.logger.debug({ connector: 'jira', method: req.method, path: req.path, status: response.status, ms }, 'jira request');
    return { status: response.status, headers: response.headers, body: parseJson(text) };
  }
}

interface RawAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Collects a JQL search across `nextPageToken` pages until `limit` issues or the last page. */
export async function collectPages<T>(fetchPage: (token: string | undefined, pageSize: number) => Promise<{ items: T[]; nextPageToken?: string | undefined; isLast?: boolean | undefined }>, limit: number, pageSize = 50): Promise<{ items: T[]; truncated: boolean }> {
  const items: T[] = [];
  let token: string | undefined;
  for (;;) {
    const page = await fetchPage(token, Math.min(pageSize, limit - items.length));
    items.push(...page.items);
    const more = !page.isLast && page.nextPageToken !== undefined;
    if (items.length >= limit) return { items: items.slice(0, limit), truncated: more || items.length > limit };
    if (!more) return { items, truncated: false };
    token = page.nextPageToken;
  }
}
