import { AuthType, CloudAdapter, type AuthConfiguration } from '@microsoft/agents-hosting';
import type { Logger } from '../../core/logger.js';
import type { TeamsSettings } from './settings.js';

/**
 * The SDK's auth configuration for our settings; anonymous mode passes none (no JWT check, no
 * outbound token). Issuer validation is always on: Entra signs every tenant's tokens with the same
 * keys, so without it a token for our app id issued in any tenant would pass. A single-tenant bot
 * accepts its own Entra tenant; a multi-tenant bot the Entra tenants named in the tenants file. The
 * SDK adds Microsoft's own first-party issuers (Azure Bot Service, Teams) and always checks that an
 * Entra issuer's tenant equals the token's `tid`.
 */
export function authConfiguration(settings: TeamsSettings, entraTenantIds: readonly string[] = []): AuthConfiguration {
  const auth = settings.auth;
  if (auth.mode === 'anonymous') return {};
  const trusted = auth.appType === 'MultiTenant' ? entraTenantIds : auth.tenantId ? [auth.tenantId] : [];
  const common = {
    clientId: auth.appId,
    ...(auth.tenantId ? { tenantId: auth.tenantId } : {}),
    ...(auth.authority ? { authorityEndpoint: auth.authority } : {}),
    validateIssuer: true,
    issuers: trusted.length > 0 ? entraIssuers(trusted, auth.authority) : [NO_ENTRA_TENANT],
  };
  if (auth.appType === 'UserAssignedMSI') return { ...common, authType: AuthType.UserManagedIdentity };
  return { ...common, authType: AuthType.ClientSecret, ...(auth.password ? { clientSecret: auth.password } : {}) };
}

/** An issuer no token carries: with no Entra tenant trusted, only Microsoft's first-party issuers pass. */
const NO_ENTRA_TENANT = 'urn:switchboard:no-entra-tenant-trusted';

/** Entra's v1 and v2 issuer strings for each tenant, in the public cloud and in the configured authority's cloud. */
export function entraIssuers(tenantIds: readonly string[], authority?: string): string[] {
  const hosts = new Set(['https://login.microsoftonline.com']);
  if (authority) {
    const url = new URL(authority);
    // An authority with a tenant in its path names one tenant; the issuer host is its origin either way.
    hosts.add(url.origin);
  }
  const issuers = new Set<string>();
  for (const tenant of tenantIds) {
    const id = tenant.trim().toLowerCase();
    if (!id) continue;
    issuers.add(`https://sts.windows.net/${id}/`);
    for (const host of hosts) issuers.add(`${host}/${id}/v2.0`);
  }
  return [...issuers];
}

/**
 * One CloudAdapter per channel. Turn errors are logged here and never echoed to the chat: the
 * SDK's default handler would post "fix the source code" to employees.
 */
export function createCloudAdapter(settings: TeamsSettings, logger: Logger, entraTenantIds: readonly string[] = []): CloudAdapter {
  const adapter = new CloudAdapter(authConfiguration(settings, entraTenantIds));
  adapter.onTurnError = async (_context, error) => {
    logger.error({ err: { message: error.message, name: error.name } }, 'teams turn failed');
  };
  return adapter;
}

/** Who proactive sends act as: the bot's app id, or an identity without audience in anonymous mode. */
export type BotIdentity = Parameters<CloudAdapter['continueConversation']>[0];

export function proactiveIdentity(settings: TeamsSettings): BotIdentity {
  return settings.auth.mode === 'credentials' ? settings.auth.appId : { name: 'anonymous' };
}
