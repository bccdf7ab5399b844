import type { ToolDefinition } from './tool.js';

export const CONNECTOR_KINDS = ['servicenow', 'jira', 'salesforce', 'okta'] as const;
export type ConnectorKind = (typeof CONNECTOR_KINDS)[number];

/** One connector instance configured for a tenant (a tenant may have two Jira sites, for example). */
export interface ConnectorInstanceConfig {
  /** Tenant-unique id, e.g. "jira" or "jira-eu". Tools are namespaced by it. */
  readonly id: string;
  readonly kind: ConnectorKind;
  readonly displayName: string;
  /** API base URL (the sandbox URL in sandbox mode). */
  readonly baseUrl: string;
  /** Authorization server base URL where it differs from baseUrl (Atlassian: https://auth.atlassian.com). */
  readonly authBaseUrl?: string;
  readonly oauth: OAuthClientSettings;
  /** Tenant service credential for admin-approved self-service paths (Okta). Already decrypted. */
  readonly serviceToken?: string;
  readonly options: Readonly<Record<string, string>>;
}

export interface OAuthClientSettings {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly scopes: readonly string[];
  readonly redirectUri: string;
}

export interface TokenSet {
  readonly accessToken: string;
  readonly refreshToken?: string;
  readonly expiresAt?: Date;
  readonly scopes: readonly string[];
  readonly externalUserId?: string;
  readonly metadata: Readonly<Record<string, string>>;
}

export interface OAuthProvider {
  /** The URL the employee opens to consent; PKCE S256 challenge and opaque state are supplied by the caller. */
  authorizationUrl(config: ConnectorInstanceConfig, input: { state: string; codeChallenge: string }): string;
  /** Exchanges the callback code; resolves per-user metadata (Jira cloud id, Salesforce instance_url, user ids). */
  exchangeCode(config: ConnectorInstanceConfig, input: { code: string; codeVerifier: string; signal?: AbortSignal }): Promise<TokenSet>;
  /** Uses the refresh token; rotating providers (Atlassian) return a new refresh token that replaces the old one. */
  refresh(config: ConnectorInstanceConfig, input: { refreshToken: string; signal?: AbortSignal }): Promise<TokenSet>;
  revoke?(config: ConnectorInstanceConfig, input: { token: string; signal?: AbortSignal }): Promise<void>;
}

export interface SandboxHandle {
  readonly url: string;
  stop(): Promise<void>;
}

export interface ConnectorModule {
  readonly kind: ConnectorKind;
  readonly displayName: string;
  readonly oauth: OAuthProvider;
  /** Tool definitions for one configured instance; names are prefixed with the instance id by the registry. */
  tools(config: ConnectorInstanceConfig): readonly ToolDefinition[];
}
