import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { TenantConfig } from '../config/tenantConfig.js';

const HASH = /^sha256:([0-9a-f]{64})$/;

/** A new SCIM bearer token and the hash to configure (the token itself is shown once and never stored). */
export function mintScimToken(): { token: string; hash: string } {
  const token = `scim_${randomBytes(32).toString('base64url')}`;
  return { token, hash: hashScimToken(token) };
}

/** The token is 256 random bits, so a plain SHA-256 is enough (no password stretching needed). */
export function hashScimToken(token: string): string {
  return `sha256:${createHash('sha256').update(token, 'utf8').digest('hex')}`;
}

/**
 * Which tenant a bearer token belongs to: each tenant's `scim.tokenHashEnv` names the variable
 * holding its hash. Compared in constant time; a tenant without a valid hash has SCIM off.
 */
export class ScimTokens {
  private readonly hashes: { tenantId: string; digest: Buffer }[] = [];

  constructor(tenants: readonly TenantConfig[], env: Readonly<Record<string, string | undefined>>, onInvalid: (tenantId: string, variable: string) => void) {
    for (const tenant of tenants) {
      if (!tenant.scim) continue;
      const value = env[tenant.scim.tokenHashEnv]?.trim();
      if (!value) continue;
      const match = HASH.exec(value);
      if (!match) {
        onInvalid(tenant.id, tenant.scim.tokenHashEnv);
        continue;
      }
      const digest = Buffer.from(match[1]!, 'hex');
      // One token, one tenant: a hash configured twice would make the tenant ambiguous.
      if (this.hashes.some((h) => h.digest.equals(digest))) {
        onInvalid(tenant.id, tenant.scim.tokenHashEnv);
        continue;
      }
      this.hashes.push({ tenantId: tenant.id, digest });
    }
  }

  get enabledTenants(): string[] {
    return this.hashes.map((h) => h.tenantId);
  }

  tenantOf(authorization: string | undefined): string | undefined {
    const match = /^Bearer\s+(\S{16,512})\s*$/i.exec(authorization ?? '');
    if (!match) return undefined;
    const digest = createHash('sha256').update(match[1]!, 'utf8').digest();
    let found: string | undefined;
    for (const entry of this.hashes) if (timingSafeEqual(entry.digest, digest)) found = entry.tenantId;
    return found;
  }
}
