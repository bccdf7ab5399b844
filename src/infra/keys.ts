/**
 * Every key and cache entry Switchboard writes starts with its tenant, so one tenant's data can never
 * be read through another tenant's key space (and can be deleted per tenant with one SCAN pattern).
 */
export function tenantKey(tenantId: string, ...parts: readonly (string | number)[]): string {
  if (!tenantId || tenantId.includes(':')) throw new Error(`invalid tenant id for a key: "${tenantId}"`);
  return ['t', tenantId, ...parts.map(String)].join(':');
}

/** The tenant a key belongs to, or null for a key that was not built with tenantKey. */
export function tenantOfKey(key: string): string | null {
  const match = /^t:([^:]+):/.exec(key);
  return match?.[1] ?? null;
}
