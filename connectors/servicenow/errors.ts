import { SwitchboardError } from '../../src/core/errors.js';
import { ConnectorHttpError, ConnectorRateLimitError } from '../shared/errors.js';
import { ConnectorOAuthError } from '../shared/oauth/oauthError.js';
import type { ServiceNowErrorBody } from './schemas.js';

export const SERVICENOW = 'ServiceNow';

/**
 * ServiceNow answered with `{"error":{"message","detail"},"status":"failure"}`. `message` keeps the
 * vendor's own words (message plus detail); the employee reads a sentence chosen for the status.
 */
export class ServiceNowApiError extends ConnectorHttpError {
  readonly vendorMessage: string;
  readonly detail?: string;

  constructor(status: number, body: ServiceNowErrorBody | undefined, fallback: string) {
    const vendorMessage = body?.error.message ?? fallback;
    const detail = body?.error.detail ?? undefined;
    super({ connector: SERVICENOW, status, message: detail ? `${vendorMessage} (${detail})` : vendorMessage, ...userMessageFor(status, vendorMessage, detail) });
    this.vendorMessage = vendorMessage;
    if (detail) this.detail = detail;
  }
}

/** 429 with Retry-After (seconds) and, when a rule matched, X-RateLimit-Limit/Reset/Rule. */
export class ServiceNowRateLimitError extends ConnectorRateLimitError {
  readonly limitPerHour?: number;
  readonly rule?: string;
  constructor(input: { message: string; retryAfterMs: number; limitPerHour?: number; rule?: string }) {
    super({ connector: SERVICENOW, status: 429, message: input.message, retryAfterMs: input.retryAfterMs });
    if (input.limitPerHour !== undefined) this.limitPerHour = input.limitPerHour;
    if (input.rule !== undefined) this.rule = input.rule;
  }
}

/** `/oauth_token.do` refused: `{error, error_description}`. */
export class ServiceNowOAuthError extends ConnectorOAuthError {
  constructor(status: number, error: string, description: string | undefined) {
    // The instance reports a dead grant as a 401 `server_error` / `access_denied` as well as invalid_grant.
    super(SERVICENOW, status, error, description, error === 'invalid_grant' || description === 'access_denied' || status === 401);
  }
}

/** A 2xx whose body is not what the API documents. */
export class ServiceNowResponseError extends SwitchboardError {
  constructor(what: string, detail: string) {
    super('connector_bad_response', `ServiceNow returned an unexpected ${what}: ${detail}`, {
      userMessage: 'ServiceNow returned something I did not understand. Please try again later.',
    });
  }
}

/** The employee named a catalog item, incident or choice that does not exist (or matches several). */
export class ServiceNowLookupError extends SwitchboardError {
  constructor(kind: 'catalog_item' | 'incident' | 'close_code' | 'assignment_group', name: string, candidates: readonly string[] = [], ambiguous = false) {
    const label = kind === 'catalog_item' ? 'catalog item' : kind === 'close_code' ? 'resolution code' : kind === 'assignment_group' ? 'assignment group' : 'incident';
    super(ambiguous ? `servicenow_${kind}_ambiguous` : `servicenow_${kind}_not_found`, `${label} "${name}" ${ambiguous ? 'is ambiguous' : 'not found'}`, {
      userMessage: ambiguous
        ? `More than one ServiceNow ${label} matches "${name}": ${candidates.join(', ')}. Which one did you mean?`
        : candidates.length > 0
          ? `I could not find a ServiceNow ${label} called "${name}". Options: ${candidates.join(', ')}.`
          : `I could not find a ServiceNow ${label} called "${name}", or you do not have access to it.`,
      details: { kind, name, candidates: [...candidates] },
    });
  }
}

/**
 * An order may already have been placed by an earlier attempt that left no marker; ordering again
 * could double it, so the employee is asked to check instead.
 */
export class ServiceNowUnverifiedWriteError extends SwitchboardError {
  constructor(what: string) {
    super('servicenow_write_unverified', `${what} may already exist without an idempotency marker`, {
      userMessage: `I may already have ${what}, but could not confirm it. Please check your ServiceNow requests before asking again.`,
    });
  }
}

/** The record is in a state that does not allow the change (a closed incident cannot be reopened). */
export class ServiceNowStateError extends SwitchboardError {
  constructor(code: 'servicenow_incident_closed', message: string, userMessage: string) {
    super(code, message, { userMessage });
  }
}

function userMessageFor(status: number, message: string, detail: string | undefined): { userMessage?: string } {
  if (status === 403 && /data policy/i.test(detail ?? '')) return { userMessage: `ServiceNow needs more information: ${detail?.replace(/\s+/g, ' ').trim()}` };
  if (status === 400) return { userMessage: `ServiceNow rejected the request: ${message}.` };
  return {};
}
