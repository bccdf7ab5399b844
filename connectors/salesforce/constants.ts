/** Salesforce REST facts shared by the client, the OAuth provider and the sandbox. */
export const SALESFORCE = 'Salesforce';
export const API_VERSION = 'v68.0';
export const API_PREFIX = `/services/data/${API_VERSION}`;
/** Custom external-id field on Case that makes create_case an upsert (unique, case-sensitive text). */
export const IDEMPOTENCY_FIELD = 'Switchboard_Key__c';
export const DEFAULT_SCOPES = ['api', 'refresh_token', 'openid'] as const;
/** Salesforce record ids are 15 (case-sensitive) or 18 (case-safe) alphanumerics. */
export const RECORD_ID_PATTERN = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;
