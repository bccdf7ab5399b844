import { ConfigError } from '../core/errors.js';
import type { TenantConfig } from '../config/tenantConfig.js';
import type { ConnectorInstanceConfig, ConnectorKind } from '../tools/connector.js';

export interface ConnectorInstanceOptions {
  /** Base URL of each running sandbox, used where the tenant file says `baseUrl: sandbox`. */
  readonly sandboxUrls: Partial<Record<ConnectorKind, string>>;
  /** Where client secrets and service tokens are read (names come from the tenants file). */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly publicUrl: string;
}

const DISPLAY_NAMES: Record<ConnectorKind, string> = { servicenow: 'ServiceNow', jira: 'Jira', salesforce: 'Salesforce', okta: 'Okta' };

export function oauthRedirectUri(publicUrl: string, connectorId: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/oauth/callback/${encodeURIComponent(connectorId)}`;
}

/**
 * Resolves a tenant's connector entries into what connectors run with: sandbox URLs filled in,
 * secrets read from the environment (never from the file), redirect URI on our public URL.
 */
export function connectorInstances(tenant: TenantConfig, options: ConnectorInstanceOptions): ConnectorInstanceConfig[] {
  return tenant.connectors.map((c, i) => {
    const sandbox = c.baseUrl === 'sandbox';
    const baseUrl = sandbox ? options.sandboxUrls[c.kind] : c.baseUrl;
    if (baseUrl === undefined) throw new ConfigError(`tenants[${tenant.id}].connectors[${i}] (${c.id}) uses the ${c.kind} sandbox, but no ${c.kind} sandbox is running`);
    const secret = c.oauth.clientSecretEnv ? options.env[c.oauth.clientSecretEnv] : undefined;
    if (!sandbox && c.oauth.clientSecretEnv && !secret) {
      throw new ConfigError(`tenant ${tenant.id} connector ${c.id}: environment variable ${c.oauth.clientSecretEnv} (client secret) is not set`);
    }
    const serviceToken = c.serviceTokenEnv ? options.env[c.serviceTokenEnv] : undefined;
    const authBaseUrl = c.authBaseUrl ?? (sandbox ? baseUrl : undefined);
    return {
      id: c.id,
      kind: c.kind,
      displayName: c.displayName ?? DISPLAY_NAMES[c.kind],
      baseUrl: baseUrl.replace(/\/+$/, ''),
      ...(authBaseUrl !== undefined ? { authBaseUrl: authBaseUrl.replace(/\/+$/, '') } : {}),
      oauth: {
        clientId: c.oauth.clientId,
        // Sandboxes accept any secret; real providers were checked above.
        clientSecret: secret ?? (sandbox ? 'sandbox-secret' : ''),
        scopes: c.oauth.scopes,
        redirectUri: oauthRedirectUri(options.publicUrl, c.id),
      },
      ...(serviceToken ? { serviceToken } : {}),
      options: c.options,
    };
  });
}

/** Lookup of configured connector instances across tenants. */
export interface ConnectorDirectory {
  get(tenantId: string, connectorId: string): ConnectorInstanceConfig | undefined;
  list(tenantId: string): readonly ConnectorInstanceConfig[];
}

export function createConnectorDirectory(tenants: readonly TenantConfig[], options: ConnectorInstanceOptions): ConnectorDirectory {
  const byTenant = new Map(tenants.map((t) => [t.id, connectorInstances(t, options)] as const));
  return {
    get: (tenantId, connectorId) => byTenant.get(tenantId)?.find((c) => c.id === connectorId),
    list: (tenantId) => byTenant.get(tenantId) ?? [],
  };
}
