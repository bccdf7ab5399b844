import { z } from 'zod';
import { SwitchboardError } from '../../src/core/errors.js';
import { ConnectorHttpError, ConnectorRateLimitError, ConnectorTimeoutError, parseRetryAfter } from '../shared/errors.js';

export const JIRA = 'Jira';

/** Jira's ErrorCollection, the API gateway's `{code,message}` and the auth server's OAuth error, all in one. */
const jiraErrorBodySchema = z
  .object({
    errorMessages: z.array(z.string()).optional(),
    errors: z.record(z.string(), z.string()).optional(),
    message: z.string().optional(),
    error: z.string().optional(),
    error_description: z.string().optional(),
  })
  .passthrough();

export class JiraApiError extends ConnectorHttpError {
  readonly errorMessages: readonly string[];
  /** Per-field messages, e.g. `{ summary: 'You must specify a summary of the issue.' }`. */
  readonly fieldErrors: Readonly<Record<string, string>>;

  constructor(input: { status: number; message: string; errorMessages?: readonly string[]; fieldErrors?: Record<string, string>; vendorCode?: string; userMessage?: string }) {
    super({ connector: JIRA, status: input.status, message: input.message, ...(input.vendorCode ? { vendorCode: input.vendorCode } : {}), ...(input.userMessage ? { userMessage: input.userMessage } : {}) });
    this.errorMessages = input.errorMessages ?? [];
    this.fieldErrors = input.fieldErrors ?? {};
  }
}

export class JiraRateLimitError extends ConnectorRateLimitError {
  /** `RateLimit-Reason`, e.g. `jira-burst-based` or `jira-per-issue-on-write`. */
  readonly reason?: string;
  constructor(input: { status: number; message: string; retryAfterMs: number; reason?: string }) {
    super({ connector: JIRA, status: input.status, message: input.message, retryAfterMs: input.retryAfterMs, ...(input.reason ? { vendorCode: input.reason } : {}) });
    if (input.reason) this.reason = input.reason;
  }
}

export class JiraTimeoutError extends ConnectorTimeoutError {
  constructor(timeoutMs: number) {
    super(JIRA, timeoutMs);
  }
}

/** The connection failed before Jira answered (refused, reset). Safe to retry only where the request is. */
export class JiraNetworkError extends SwitchboardError {
  constructor(method: string, path: string, cause: unknown) {
    super('connector_unavailable', `${JIRA} ${method} ${path}: connection failed (${cause instanceof Error ? cause.message : 'unknown'})`, {
      userMessage: 'I could not reach Jira right now. Please try again in a few minutes.',
      retryable: true,
    });
  }
}

/** Jira answered 2xx with a body we could not understand; never retried. */
export class JiraResponseError extends SwitchboardError {
  constructor(method: string, path: string, issue: string) {
    super('connector_bad_response', `${JIRA} ${method} ${path}: unexpected response (${issue})`, {
      userMessage: 'Jira sent an answer I could not understand.',
    });
  }
}

/** The tool could not do what was asked although Jira itself was fine (no such transition, ambiguous user). */
export class JiraActionError extends SwitchboardError {
  constructor(code: 'jira_transition_unavailable' | 'jira_user_ambiguous' | 'jira_user_not_found' | 'jira_site_unavailable' | 'jira_edit_forbidden' | 'jira_priority_unknown', message: string, userMessage: string) {
    super(code, message, { userMessage });
  }
}

/** Builds the typed error from Jira's own error body; the vendor's words go into `message`. */
export function jiraErrorFromResponse(status: number, body: unknown, headers: Headers, now = Date.now()): ConnectorHttpError {
  const parsed = jiraErrorBodySchema.safeParse(body);
  const data = parsed.success ? parsed.data : {};
  const errorMessages = data.errorMessages ?? [];
  const fieldErrors = data.errors ?? {};
  const parts = [...errorMessages, ...Object.entries(fieldErrors).map(([field, text]) => `${field}: ${text}`)];
  if (data.message) parts.push(data.message);
  if (data.error_description) parts.push(data.error_description);
  else if (data.error) parts.push(data.error);
  const vendorMessage = parts.length > 0 ? parts.join('; ') : typeof body === 'string' && body.length > 0 ? body.slice(0, 300) : `HTTP ${status}`;

  if (status === 429 || (status === 503 && headers.get('retry-after') !== null)) {
    const retryAfterMs = parseRetryAfter(headers.get('retry-after'), now) ?? resetDelay(headers.get('x-ratelimit-reset'), now) ?? 1_000;
    const reason = headers.get('ratelimit-reason') ?? undefined;
    return new JiraRateLimitError({ status, message: vendorMessage, retryAfterMs, ...(reason ? { reason } : {}) });
  }
  // Validation messages from Jira are written for people ("You must specify a summary of the issue."), so pass them on.
  const humanParts = [...errorMessages, ...Object.values(fieldErrors)];
  const userMessage = status === 400 && humanParts.length > 0 ? `Jira rejected the request: ${humanParts.join(' ')}` : undefined;
  return new JiraApiError({ status, message: vendorMessage, errorMessages, fieldErrors, ...(data.error ? { vendorCode: data.error } : {}), ...(userMessage ? { userMessage } : {}) });
}

/** `X-RateLimit-Reset` is an ISO 8601 instant (`yyyy-MM-ddTHH:mmZ`). */
function resetDelay(value: string | null, now: number): number | undefined {
  if (!value) return undefined;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export function isRetryableJiraError(error: unknown): error is SwitchboardError {
  return error instanceof SwitchboardError && error.retryable;
}

export function retryDelayOf(error: unknown): number | undefined {
  return error instanceof ConnectorRateLimitError ? error.retryAfterMs : undefined;
}
