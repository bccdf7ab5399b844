import { SwitchboardError } from '../../src/core/errors.js';
import { ConnectorHttpError, ConnectorRateLimitError } from '../shared/errors.js';
import { ConnectorOAuthError } from '../shared/oauth/oauthError.js';
import type { OktaErrorBody } from './schemas.js';

export const OKTA = 'Okta';

/**
 * Okta answered with its error body. `message` is the vendor's own errorSummary (plus causes); the
 * employee reads a sentence chosen for the status.
 */
export class OktaApiError extends ConnectorHttpError {
  readonly errorId?: string;
  readonly causes: readonly string[];

  constructor(status: number, body: OktaErrorBody | undefined, fallback: string) {
    const causes = body?.errorCauses?.map((c) => c.errorSummary).filter((s): s is string => typeof s === 'string') ?? [];
    const summary = body?.errorSummary ?? fallback;
    super({
      connector: OKTA,
      status,
      message: causes.length > 0 ? `${summary} (${causes.join('; ')})` : summary,
      ...(body?.errorCode ? { vendorCode: body.errorCode } : {}),
    });
    if (body?.errorId) this.errorId = body.errorId;
    this.causes = causes;
  }
}

/** 429 E0000047. Okta sends no Retry-After; the wait comes from X-Rate-Limit-Reset (epoch seconds). */
export class OktaRateLimitError extends ConnectorRateLimitError {
  readonly limit?: number;
  readonly remaining?: number;
  constructor(input: { message: string; retryAfterMs: number; vendorCode?: string; limit?: number; remaining?: number }) {
    super({ connector: OKTA, status: 429, message: input.message, retryAfterMs: input.retryAfterMs, ...(input.vendorCode ? { vendorCode: input.vendorCode } : {}) });
    if (input.limit !== undefined) this.limit = input.limit;
    if (input.remaining !== undefined) this.remaining = input.remaining;
  }
}

/** The token endpoint's `{error, error_description}` (invalid_grant, invalid_client...). */
export class OktaOAuthError extends ConnectorOAuthError {
  constructor(status: number, error: string, description: string | undefined) {
    super(OKTA, status, error, description);
  }
}

/** Okta answered 2xx with a body that is not what the API documents. */
export class OktaResponseError extends SwitchboardError {
  constructor(what: string, detail: string) {
    super('connector_bad_response', `Okta returned an unexpected ${what}: ${detail}`, {
      userMessage: 'Okta returned something I did not understand. Please try again later.',
    });
  }
}

/** The employee named a group or app that does not exist, or matches several. */
export class OktaLookupError extends SwitchboardError {
  constructor(kind: 'group' | 'app', name: string, candidates: readonly string[]) {
    const code = candidates.length > 0 ? `okta_${kind}_ambiguous` : `okta_${kind}_not_found`;
    super(code, `${kind} "${name}" ${candidates.length > 0 ? `is ambiguous: ${candidates.join(', ')}` : 'not found'}`, {
      userMessage: candidates.length > 0
        ? `More than one Okta ${kind} matches "${name}": ${candidates.join(', ')}. Which one did you mean?`
        : `I could not find an Okta ${kind} called "${name}".`,
    });
  }
}

/** Group memberships imported from a directory (APP_GROUP) or built in cannot be changed in Okta. */
export class OktaGroupNotManageableError extends SwitchboardError {
  constructor(name: string, type: string, action: 'add' | 'remove' = 'add') {
    super('okta_group_not_manageable', `group "${name}" is ${type}; memberships are managed outside Okta`, {
      userMessage: `Membership of "${name}" is managed outside Okta (for example in Active Directory), so I cannot ${action === 'add' ? 'add you' : 'remove you from it'}. Please ask IT.`,
    });
  }
}

/** The linked account does not say which Okta user it is, so a service-path action has no safe target. */
export class OktaIdentityError extends SwitchboardError {
  constructor(message: string) {
    super('okta_identity_unresolved', message, {
      userMessage: 'I could not confirm which Okta account is yours. Please reconnect your Okta account.',
    });
  }
}
