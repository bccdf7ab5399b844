import { SwitchboardError } from '../../src/core/errors.js';
import { ConnectorHttpError, ConnectorRateLimitError } from '../shared/errors.js';
import { ConnectorOAuthError } from '../shared/oauth/oauthError.js';
import { SALESFORCE } from './constants.js';
import type { SfErrorBody } from './schemas.js';

/** What the employee reads for the error codes they are likely to meet; the operator sees Salesforce's own text. */
const USER_MESSAGES: Readonly<Record<string, string>> = {
  NOT_FOUND: 'Salesforce could not find that record, or you do not have access to it.',
  INSUFFICIENT_ACCESS_OR_READONLY: 'Salesforce says you do not have permission to change that record.',
  INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY: 'Salesforce says you do not have access to a record this change refers to.',
  INVALID_SESSION_ID: 'Your Salesforce sign-in is no longer valid. Please reconnect your Salesforce account.',
  MALFORMED_QUERY: 'Salesforce could not understand the search I sent.',
  INVALID_FIELD: 'Salesforce rejected a field in the request.',
  INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: 'Salesforce does not accept that value for the field.',
  REQUIRED_FIELD_MISSING: 'Salesforce needs more information to save the record.',
};

/**
 * Salesforce answered with its array error body. `message` is the vendor's own text for every
 * entry (never a credential); `vendorCode` is the first entry's errorCode.
 */
export class SalesforceApiError extends ConnectorHttpError {
  readonly errors: SfErrorBody | readonly [];
  readonly fields: readonly string[];

  constructor(status: number, body: SfErrorBody | undefined, fallback: string) {
    const first = body?.[0];
    const message = body ? body.map((e) => `${e.errorCode}: ${e.message}`).join('; ') : fallback;
    const userMessage = first ? USER_MESSAGES[first.errorCode] : undefined;
    super({
      connector: SALESFORCE,
      status,
      message,
      ...(first ? { vendorCode: first.errorCode } : {}),
      ...(userMessage ? { userMessage } : {}),
    });
    this.errors = body ?? [];
    this.fields = body?.flatMap((e) => e.fields ?? []) ?? [];
  }
}

/**
 * 403 REQUEST_LIMIT_EXCEEDED (or a 429 from an edge proxy). `dailyLimitReached` distinguishes the
 * 24-hour API allowance, which no retry will cure, from concurrency bursts that clear in seconds.
 */
export class SalesforceRateLimitError extends ConnectorRateLimitError {
  readonly dailyLimitReached: boolean;
  /** True when the wait came from a Retry-After header rather than the client's own estimate. */
  readonly hinted: boolean;
  constructor(input: { status: number; message: string; retryAfterMs: number; hinted: boolean; dailyLimitReached: boolean }) {
    super({ connector: SALESFORCE, status: input.status, message: input.message, retryAfterMs: input.retryAfterMs, vendorCode: 'REQUEST_LIMIT_EXCEEDED' });
    this.dailyLimitReached = input.dailyLimitReached;
    this.hinted = input.hinted;
  }
}

/** The token endpoint's `{error, error_description}` (invalid_grant, invalid_client...). */
export class SalesforceOAuthError extends ConnectorOAuthError {
  constructor(status: number, error: string, description: string | undefined) {
    super(SALESFORCE, status, error, description);
  }
}

/** Salesforce answered 2xx with something the API does not document, or a link pointing elsewhere. */
export class SalesforceResponseError extends SwitchboardError {
  constructor(detail: string) {
    super('connector_bad_response', `Salesforce returned an unexpected response: ${detail}`, {
      userMessage: 'Salesforce answered in a way I did not expect. Please try again later.',
    });
  }
}
