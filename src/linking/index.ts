export { AccountLinkingService, tenantOfState, type AccountLinkingDeps, type CompletedLink, type LinkTarget, type OAuthProviderLookup, type StartLinkResult } from './accountLinkingService.js';
export { CredentialBroker, type CredentialBrokerDeps, type CredentialsForInput } from './credentialBroker.js';
export { oauthCallbackHandler } from './oauthCallback.js';
export { connectorInstances, createConnectorDirectory, oauthRedirectUri, type ConnectorDirectory, type ConnectorInstanceOptions } from './connectorInstances.js';
export { LinkExchangeFailedError, LinkStateInvalidError, ServiceCredentialMissingError, UnknownConnectorError } from './errors.js';
