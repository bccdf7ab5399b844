import type { TenantConfig } from '../config/tenantConfig.js';
import type { MappedAccountLookup } from './accountLinkingService.js';

/** `users[].accounts` from the tenants file, looked up by tenant, employee email and connector id. */
export function mappedAccountsFrom(tenants: readonly TenantConfig[]): MappedAccountLookup {
  const byKey = new Map<string, string>();
  for (const tenant of tenants) {
    for (const user of tenant.users) {
      for (const [connectorId, account] of Object.entries(user.accounts ?? {})) byKey.set(`${tenant.id}\n${user.email.toLowerCase()}\n${connectorId}`, account);
    }
  }
  return (tenantId, userEmail, connectorId) => byKey.get(`${tenantId}\n${userEmail.toLowerCase()}\n${connectorId}`);
}
