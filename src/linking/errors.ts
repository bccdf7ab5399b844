import { SwitchboardError } from '../core/errors.js';

export class LinkStateInvalidError extends SwitchboardError {
  constructor(reason: string) {
    super('link_state_invalid', `oauth state rejected: ${reason}`, {
      userMessage: 'This sign-in link has expired or was already used. Ask me again and I will send a fresh one.',
    });
  }
}

export class LinkExchangeFailedError extends SwitchboardError {
  constructor(connectorName: string, cause: unknown) {
    super('link_exchange_failed', `${connectorName} code exchange failed: ${cause instanceof Error ? cause.message : 'unknown error'}`, {
      userMessage: `${connectorName} did not accept the sign-in. Please try connecting again.`,
      cause,
    });
  }
}

export class UnknownConnectorError extends SwitchboardError {
  constructor(tenantId: string, connectorId: string) {
    super('unknown_connector', `tenant ${tenantId} has no connector ${connectorId}`, { userMessage: `I don't know a system called "${connectorId}" here.` });
  }
}

export class ServiceCredentialMissingError extends SwitchboardError {
  constructor(connectorId: string, connectorName: string) {
    super('service_credential_missing', `connector ${connectorId} has no service token configured`, {
      userMessage: `${connectorName} self-service is not set up for your organisation. Please contact IT.`,
    });
  }
}
