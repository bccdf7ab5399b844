export { AccountLinkingService, tenantOfState, type AccountLinkingDeps, type CompletedLink, type LinkInfo, type LinkTarget, type MappedAccountLookup, type OAuthProviderLookup, type OpenedLink, type StartLinkResult } from './accountLinkingService.js';
export { CredentialBroker, type CredentialBrokerDeps, type CredentialsForInput } from './credentialBroker.js';
export { oauthCallbackHandler } from './oauthCallback.js';
export { linkStartPage, linkStartSubmit } from './linkStart.js';
export { mappedAccountsFrom } from './mappedAccounts.js';
export { basePathOf, linkCookieName, linkVerifierFrom } from './browserBinding.js';
export { connectorInstances, createConnectorDirectory, oauthRedirectUri, type ConnectorDirectory, type ConnectorInstanceOptions } from './connectorInstances.js';
export {
  LinkAlreadyOpenedError, LinkBrowserMismatchError, LinkExchangeFailedError, LinkIdentityMismatchError, LinkStateInvalidError,
  ServiceCredentialMissingError, UnknownConnectorError,
} from './errors.js';
