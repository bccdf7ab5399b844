import { ConnectorHttpError } from '../errors.js';

/**
 * A token endpoint refused the grant with `{error, error_description}`. `invalid_grant` means the
 * employee's link is dead and they must reconnect; anything else is the sign-in itself failing.
 */
export class ConnectorOAuthError extends ConnectorHttpError {
  constructor(connector: string, status: number, error: string, description: string | undefined, grantInvalid = error === 'invalid_grant') {
    super({
      connector,
      status,
      code: grantInvalid ? 'connector_grant_invalid' : 'connector_oauth_failed',
      message: `${error}: ${description ?? 'no description'}`,
      vendorCode: error,
      retryable: status >= 500 && !grantInvalid,
      userMessage: grantInvalid
        ? `Your ${connector} sign-in has expired. Please reconnect your ${connector} account.`
        : `${connector} did not accept the sign-in. Please try connecting your ${connector} account again.`,
    });
  }
}
