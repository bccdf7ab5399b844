import type { PrismaClient } from '../../generated/prisma/client.js';
import { ValidationError } from '../../core/errors.js';

export interface UserRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly email: string;
  readonly displayName: string;
  readonly roles: readonly string[];
  readonly managerId: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids arrive from chat payloads and buttons; a malformed one is simply "not found", never a SQL error. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/**
 * A person removed from the tenants file keeps their row (runs, approvals and audit entries point at
 * it) but is deactivated; every lookup here treats them as absent, so they can neither act, approve,
 * link an account nor be chosen as an approver.
 */
const ACTIVE = { deactivatedAt: null } as const;

function toRecord(row: { id: string; tenantId: string; email: string; displayName: string; roles: string[]; managerId: string | null }): UserRecord {
  return { id: row.id, tenantId: row.tenantId, email: row.email, displayName: row.displayName, roles: row.roles, managerId: row.managerId };
}

export class UserRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async byId(tenantId: string, userId: string): Promise<UserRecord | null> {
    if (!isUuid(userId)) return null;
    const row = await this.prisma.user.findFirst({ where: { tenantId, id: userId, ...ACTIVE } });
    return row ? toRecord(row) : null;
  }

  async byEmail(tenantId: string, email: string): Promise<UserRecord | null> {
    const row = await this.prisma.user.findFirst({ where: { tenantId, email: { equals: email.trim(), mode: 'insensitive' }, ...ACTIVE } });
    return row ? toRecord(row) : null;
  }

  async byIds(tenantId: string, userIds: readonly string[]): Promise<UserRecord[]> {
    const ids = userIds.filter(isUuid);
    if (ids.length === 0) return [];
    const rows = await this.prisma.user.findMany({ where: { tenantId, id: { in: ids }, ...ACTIVE }, orderBy: { email: 'asc' } });
    return rows.map(toRecord);
  }

  async managerOf(tenantId: string, userId: string): Promise<UserRecord | null> {
    const user = await this.byId(tenantId, userId);
    return user?.managerId ? this.byId(tenantId, user.managerId) : null;
  }

  async withRole(tenantId: string, role: string): Promise<UserRecord[]> {
    const rows = await this.prisma.user.findMany({ where: { tenantId, roles: { has: role }, ...ACTIVE }, orderBy: { email: 'asc' } });
    return rows.map(toRecord);
  }

  async list(tenantId: string): Promise<UserRecord[]> {
    const rows = await this.prisma.user.findMany({ where: { tenantId, ...ACTIVE }, orderBy: { email: 'asc' } });
    return rows.map(toRecord);
  }

  /** Creates or updates by (tenant, email), reactivating a returning person; emails are stored lower-case so matching is stable. */
  async upsert(tenantId: string, input: { email: string; displayName: string; roles?: readonly string[] }): Promise<UserRecord> {
    const email = input.email.trim().toLowerCase();
    const roles = input.roles ? [...input.roles] : undefined;
    const row = await this.prisma.user.upsert({
      where: { tenantId_email: { tenantId, email } },
      create: { tenantId, email, displayName: input.displayName, roles: roles ?? ['employee'] },
      update: { displayName: input.displayName, deactivatedAt: null, ...(roles ? { roles } : {}) },
    });
    return toRecord(row);
  }

  async setManager(tenantId: string, userId: string, managerId: string | null): Promise<void> {
    if (managerId !== null && !(await this.byId(tenantId, managerId))) throw new ValidationError(`manager ${managerId} is not a user of tenant ${tenantId}`, 'That manager is not part of your organisation.');
    await this.prisma.user.updateMany({ where: { tenantId, id: userId }, data: { managerId } });
  }

  /**
   * Deactivates every active user of the tenant whose email is not in `keep` and strips their roles
   * (an admin role must not outlive the person's place in the file). Returns who was deactivated now.
   */
  async deactivateAllExcept(tenantId: string, keep: readonly string[], now: Date): Promise<UserRecord[]> {
    const emails = keep.map((e) => e.trim().toLowerCase());
    // Only the file's own people: SCIM-provisioned ones are deactivated by the IdP, never by the file.
    const leaving = await this.prisma.user.findMany({ where: { tenantId, ...ACTIVE, source: 'file', email: { notIn: emails } } });
    if (leaving.length === 0) return [];
    await this.prisma.user.updateMany({ where: { tenantId, id: { in: leaving.map((u) => u.id) }, ...ACTIVE }, data: { deactivatedAt: now, roles: [] } });
    return leaving.map((row) => toRecord({ ...row, roles: [] }));
  }
}
