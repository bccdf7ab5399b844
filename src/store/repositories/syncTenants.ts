import type { PrismaClient } from '../../generated/prisma/client.js';
import type { TenantsFile } from '../../config/tenantConfig.js';
import { TenantRepository } from './tenants.js';
import { UserRepository } from './users.js';

export interface SyncSummary {
  readonly tenants: number;
  readonly users: number;
}

/**
 * Makes the store match the tenants file: tenant rows and seed users (then their manager links,
 * once everyone exists). Idempotent, so every process may run it at startup; users not in the
 * file are left alone (they may have arrived from a chat platform).
 */
export async function syncTenants(prisma: PrismaClient, file: TenantsFile): Promise<SyncSummary> {
  const tenants = new TenantRepository(prisma);
  const users = new UserRepository(prisma);
  let userCount = 0;
  for (const tenant of file.tenants) {
    await tenants.upsertFromConfig(tenant.id, tenant);
    const byEmail = new Map<string, string>();
    for (const seed of tenant.users) {
      const user = await users.upsert(tenant.id, { email: seed.email, displayName: seed.displayName, roles: seed.roles });
      byEmail.set(user.email, user.id);
      userCount += 1;
    }
    for (const seed of tenant.users) {
      const id = byEmail.get(seed.email.toLowerCase())!;
      const managerId = seed.managerEmail ? byEmail.get(seed.managerEmail.toLowerCase()) ?? null : null;
      await prisma.user.updateMany({ where: { tenantId: tenant.id, id }, data: { managerId } });
    }
  }
  return { tenants: file.tenants.length, users: userCount };
}
