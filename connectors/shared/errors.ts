import { SwitchboardError } from '../../src/core/errors.js';

/**
 * A connector API answered with an error. `message` carries the vendor's own error text (never a
 * token); `userMessage` is what the employee reads.
 */
export class ConnectorHttpError extends SwitchboardError {
  readonly status: number;
  readonly connector: string;
  readonly vendorCode?: string;

  constructor(input: { connector: string; status: number; message: string; vendorCode?: string; userMessage?: string; retryable?: boolean; code?: string }) {
    super(input.code ?? codeForStatus(input.status), `${input.connector} ${input.status}: ${input.message}`, {
      userMessage: input.userMessage ?? userMessageForStatus(input.connector, input.status),
      retryable: input.retryable ?? (input.status >= 500 || input.status === 429),
    });
    this.status = input.status;
    this.connector = input.connector;
    if (input.vendorCode !== undefined) this.vendorCode = input.vendorCode;
  }
}

export class ConnectorRateLimitError extends ConnectorHttpError {
  readonly retryAfterMs: number;
  constructor(input: { connector: string; status: number; message: string; retryAfterMs: number; vendorCode?: string }) {
    super({ ...input, code: 'connector_rate_limited', retryable: true, userMessage: `${input.connector} is busy right now; I will try again shortly.` });
    this.retryAfterMs = input.retryAfterMs;
  }
}

export class ConnectorTimeoutError extends SwitchboardError {
  constructor(connector: string, timeoutMs: number) {
    super('connector_timeout', `${connector} did not answer within ${timeoutMs} ms`, {
      userMessage: `${connector} did not answer in time.`,
      retryable: true,
    });
  }
}

function codeForStatus(status: number): string {
  if (status === 400 || status === 422) return 'connector_bad_request';
  if (status === 401) return 'connector_unauthorized';
  if (status === 403) return 'connector_forbidden';
  if (status === 404) return 'connector_not_found';
  if (status === 409) return 'connector_conflict';
  if (status === 429) return 'connector_rate_limited';
  return status >= 500 ? 'connector_unavailable' : 'connector_error';
}

function userMessageForStatus(connector: string, status: number): string {
  if (status === 401) return `Your ${connector} sign-in is no longer valid. Please reconnect your account.`;
  if (status === 403) return `${connector} says you do not have permission to do that.`;
  if (status === 404) return `${connector} could not find that, or you do not have access to it.`;
  if (status >= 500) return `${connector} is having trouble right now. Please try again in a few minutes.`;
  return `${connector} rejected the request.`;
}

/** Retry-After is either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
