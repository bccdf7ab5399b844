import type { PrismaClient } from '../../generated/prisma/client.js';
import type { TenantsFile } from '../../config/tenantConfig.js';
import { TenantRepository } from './tenants.js';
import { UserRepository } from './users.js';
import { deprovisionDeactivatedUsers } from './deprovisioning.js';

export interface SyncSummary {
  readonly tenants: number;
  readonly users: number;
}

/**
 * Makes the store match the tenants file: tenant rows and seed users (then their manager links,
 * once everyone exists). Idempotent, so every process may run it at startup. The file is the list
 * of who may use Switchboard: a person of a listed tenant who is no longer in it is deactivated
 * (roles stripped, linked accounts revoked, taken off pending approvals; see deprovisioning.ts),
 * and comes back with the file's roles if they are listed again. People provisioned over SCIM
 * (source "scim") belong to the IdP: the file is only a seed for them.
 */
export async function syncTenants(prisma: PrismaClient, file: TenantsFile, now: Date = new Date()): Promise<SyncSummary> {
  const tenants = new TenantRepository(prisma);
  const users = new UserRepository(prisma);
  let userCount = 0;
  for (const tenant of file.tenants) {
    await tenants.upsertFromConfig(tenant.id, tenant);
    const byEmail = new Map<string, string>();
    // SCIM is authoritative for the people it provisioned: the file neither updates nor deactivates them (issue 16).
    const provisioned = await prisma.user.findMany({ where: { tenantId: tenant.id, source: 'scim' }, select: { id: true, email: true } });
    const scimOwned = new Set(provisioned.map((u) => u.email));
    for (const u of provisioned) byEmail.set(u.email, u.id);
    const seeds = tenant.users.filter((seed) => !scimOwned.has(seed.email.toLowerCase()));
    for (const seed of seeds) {
      const user = await users.upsert(tenant.id, { email: seed.email, displayName: seed.displayName, roles: seed.roles });
      byEmail.set(user.email, user.id);
      userCount += 1;
    }
    for (const seed of seeds) {
      const id = byEmail.get(seed.email.toLowerCase())!;
      const managerId = seed.managerEmail ? byEmail.get(seed.managerEmail.toLowerCase()) ?? null : null;
      await prisma.user.updateMany({ where: { tenantId: tenant.id, id }, data: { managerId } });
    }
    for (const gone of await users.deactivateAllExcept(tenant.id, tenant.users.map((u) => u.email), now)) {
      await prisma.auditLog.create({ data: { tenantId: tenant.id, actorUserId: null, action: 'user.deactivated', targetType: 'user', targetId: gone.id, data: { email: gone.email, reason: 'removed_from_tenants_file' } } });
    }
  }
  await deprovisionDeactivatedUsers(prisma, file.tenants.map((t) => t.id), now);
  return { tenants: file.tenants.length, users: userCount };
}
