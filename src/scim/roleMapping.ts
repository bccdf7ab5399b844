import type { PrismaClient } from '../generated/prisma/client.js';
import type { TenantScimConfig } from '../config/tenantConfig.js';

/** Everyone provisioned gets this role; group mappings add to it. */
export const BASE_ROLE = 'employee';

export interface DerivedAccess {
  readonly roles: string[];
  readonly approverGroups: string[];
}

export function accessFor(groupNames: readonly string[], scim: TenantScimConfig | undefined): DerivedAccess {
  const roles = new Set<string>([BASE_ROLE]);
  const approverGroups = new Set<string>();
  const names = new Set(groupNames.map((n) => n.toLowerCase()));
  for (const mapping of scim?.groupMappings ?? []) {
    if (!names.has(mapping.group.toLowerCase())) continue;
    mapping.roles.forEach((r) => roles.add(r));
    mapping.approverGroups.forEach((g) => approverGroups.add(g));
  }
  return { roles: [...roles].sort(), approverGroups: [...approverGroups].sort() };
}

/**
 * Recomputes roles and approver groups of these provisioned people from their current IdP groups.
 * Stored on the user row so approver resolution and sign-in read one indexed row; people sharing
 * the same result are written in one statement. Deactivated people keep no roles.
 */
export async function refreshAccess(prisma: PrismaClient, tenantId: string, userIds: readonly string[], scim: TenantScimConfig | undefined): Promise<void> {
  if (userIds.length === 0) return;
  const ids = [...new Set(userIds)];
  const memberships = await prisma.scimGroupMember.findMany({ where: { tenantId, userId: { in: ids } }, select: { userId: true, groupId: true } });
  const groups = await prisma.scimGroup.findMany({ where: { tenantId, id: { in: [...new Set(memberships.map((m) => m.groupId))] } }, select: { id: true, displayName: true } });
  const nameOf = new Map(groups.map((g) => [g.id, g.displayName]));
  const groupsOf = new Map<string, string[]>();
  for (const m of memberships) groupsOf.set(m.userId, [...(groupsOf.get(m.userId) ?? []), nameOf.get(m.groupId) ?? '']);
  const batches = new Map<string, { access: DerivedAccess; ids: string[] }>();
  for (const id of ids) {
    const access = accessFor(groupsOf.get(id) ?? [], scim);
    const key = JSON.stringify(access);
    const batch = batches.get(key) ?? { access, ids: [] };
    batch.ids.push(id);
    batches.set(key, batch);
  }
  for (const { access, ids: batchIds } of batches.values()) {
    await prisma.user.updateMany({ where: { tenantId, id: { in: batchIds }, source: 'scim', deactivatedAt: null }, data: { roles: access.roles, approverGroups: access.approverGroups } });
    await prisma.user.updateMany({ where: { tenantId, id: { in: batchIds }, source: 'scim', deactivatedAt: { not: null } }, data: { roles: [], approverGroups: [] } });
  }
}
