import type { Prisma, PrismaClient, User } from '../generated/prisma/client.js';
import type { TenantConfig } from '../config/tenantConfig.js';
import type { JsonObject } from '../core/json.js';
import type { Logger } from '../core/logger.js';
import { deprovisionDeactivatedUsers } from '../store/repositories/deprovisioning.js';
import { isUuid } from '../store/repositories/users.js';
import type { EqFilter } from './filter.js';
import { applyPatch, type PatchOperation } from './patch.js';
import { ScimError, URN, type Page } from './protocol.js';
import { refreshAccess } from './roleMapping.js';
import { deriveUser, parseUserDocument, storedDocument } from './userDocument.js';

export const USER_FILTERS = ['username', 'externalid', 'emails.value', 'id'] as const;

/**
 * Users provisioned over SCIM, one tenant at a time. A provisioned person is an ordinary user row
 * (source "scim"): the gateway, approvals and sign-in read it as they read the file's people.
 * active=false and DELETE deactivate through the same deprovisioning as leaving the tenants file.
 */
export class ScimUsers {
  constructor(private readonly prisma: PrismaClient, private readonly tenant: TenantConfig, private readonly baseUrl: string, private readonly logger: Logger) {}

  private get tenantId(): string {
    return this.tenant.id;
  }

  async get(id: string): Promise<JsonObject> {
    return this.render(await this.find(id));
  }

  async list(filter: EqFilter | undefined, page: Page): Promise<{ total: number; resources: JsonObject[] }> {
    const where: Prisma.UserWhereInput = { tenantId: this.tenantId, source: 'scim', scimDeletedAt: null };
    if (filter) {
      const value = typeof filter.value === 'string' ? filter.value : '';
      if (filter.attribute === 'username') where.scimUserName = value.toLowerCase();
      else if (filter.attribute === 'externalid') where.externalId = value;
      else if (filter.attribute === 'emails.value') where.email = value.toLowerCase();
      else where.id = isUuid(value) ? value : '00000000-0000-0000-0000-000000000000';
    }
    const [total, rows] = await Promise.all([
      this.prisma.user.count({ where }),
      page.count === 0 ? Promise.resolve([]) : this.prisma.user.findMany({ where, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], skip: page.startIndex - 1, take: page.count }),
    ]);
    return { total, resources: await Promise.all(rows.map((row) => this.render(row))) };
  }

  async create(body: unknown): Promise<JsonObject> {
    const doc = parseUserDocument(body);
    const derived = deriveUser(doc);
    const existing = await this.prisma.user.findMany({ where: { tenantId: this.tenantId, OR: [{ scimUserName: derived.userName.toLowerCase(), scimDeletedAt: null }, { email: derived.email }] } });
    if (existing.some((u) => u.scimUserName === derived.userName.toLowerCase() && !u.scimDeletedAt)) throw new ScimError(409, `A user with userName "${derived.userName}" already exists.`, 'uniqueness');
    const sameEmail = existing.find((u) => u.email === derived.email);
    // A live provisioned person keeps their email; a person from the tenants file (a seed) or one deleted earlier is taken over by the IdP.
    if (sameEmail && sameEmail.source === 'scim' && !sameEmail.scimDeletedAt) throw new ScimError(409, `Another user already has the email ${derived.email}.`, 'uniqueness');
    const managerId = await this.managerIdOf(derived.managerId, sameEmail?.id);
    const data = {
      email: derived.email,
      displayName: derived.displayName,
      source: 'scim',
      scimUserName: derived.userName.toLowerCase(),
      externalId: derived.externalId,
      scim: { ...storedDocument(doc), lastModified: new Date().toISOString() } as Prisma.InputJsonObject,
      scimDeletedAt: null,
      managerId,
      deactivatedAt: null,
      roles: ['employee'],
      approverGroups: [],
    };
    const row = sameEmail
      ? await this.prisma.user.update({ where: { id: sameEmail.id }, data })
      : await this.prisma.user.create({ data: { tenantId: this.tenantId, ...data } });
    await this.audit('user.provisioned', row.id, { email: row.email, tookOver: sameEmail ? sameEmail.source : null });
    // A new (or re-created) person belongs to no group yet: their access is the base role set above.
    if (!derived.active) {
      await this.deactivate(row.id, 'scim_inactive');
      return this.get(row.id);
    }
    return this.render(row);
  }

  async replace(id: string, body: unknown): Promise<JsonObject> {
    const current = await this.find(id);
    return this.write(current, parseUserDocument(body));
  }

  async patch(id: string, operations: readonly PatchOperation[]): Promise<JsonObject> {
    const current = await this.find(id);
    const base = { ...((current.scim ?? {}) as JsonObject) };
    delete base.lastModified;
    return this.write(current, parseUserDocument(applyPatch(base, operations, [URN.enterprise])));
  }

  /** DELETE: deactivated (history keeps pointing at the row) and gone from /scim/v2 (RFC 7644 §3.6: later GETs are 404). */
  async remove(id: string): Promise<void> {
    const current = await this.find(id);
    await this.prisma.user.update({ where: { id: current.id }, data: { scimDeletedAt: new Date() } });
    await this.prisma.scimGroupMember.deleteMany({ where: { tenantId: this.tenantId, userId: current.id } });
    await this.audit('user.deprovisioned', current.id, { email: current.email });
    await this.deactivate(current.id, 'scim_deleted');
  }

  private async write(current: User, doc: ReturnType<typeof parseUserDocument>): Promise<JsonObject> {
    const derived = deriveUser(doc);
    const userName = derived.userName.toLowerCase();
    if (userName !== current.scimUserName && (await this.prisma.user.findFirst({ where: { tenantId: this.tenantId, scimUserName: userName, id: { not: current.id } } }))) {
      throw new ScimError(409, `A user with userName "${derived.userName}" already exists.`, 'uniqueness');
    }
    if (derived.email !== current.email && (await this.prisma.user.findFirst({ where: { tenantId: this.tenantId, email: derived.email, id: { not: current.id } } }))) {
      throw new ScimError(409, `Another user already has the email ${derived.email}.`, 'uniqueness');
    }
    const managerId = await this.managerIdOf(derived.managerId, current.id);
    const row = await this.prisma.user.update({
      where: { id: current.id },
      data: { email: derived.email, displayName: derived.displayName, scimUserName: userName, externalId: derived.externalId, managerId, scim: { ...storedDocument(doc), lastModified: new Date().toISOString() } as Prisma.InputJsonObject },
    });
    if (current.managerId !== managerId) await this.audit('user.manager_changed', row.id, { from: current.managerId, to: managerId });
    await this.afterWrite(row, derived.active);
    return this.get(row.id);
  }

  private async afterWrite(row: User, active: boolean): Promise<void> {
    if (!active) return this.deactivate(row.id, 'scim_inactive');
    if (row.deactivatedAt) {
      await this.prisma.user.update({ where: { id: row.id }, data: { deactivatedAt: null } });
      await this.audit('user.reactivated', row.id, { email: row.email });
    }
    await refreshAccess(this.prisma, this.tenantId, [row.id], this.tenant.scim);
  }

  /** Cannot act, approve or sign in from now on; linked accounts revoked and pending approvals moved on. */
  private async deactivate(userId: string, reason: string): Promise<void> {
    const now = new Date();
    const { count } = await this.prisma.user.updateMany({ where: { tenantId: this.tenantId, id: userId, deactivatedAt: null }, data: { deactivatedAt: now, roles: [], approverGroups: [] } });
    if (count === 0) return;
    await this.audit('user.deactivated', userId, { reason });
    const summary = await deprovisionDeactivatedUsers(this.prisma, [this.tenantId], now);
    this.logger.info({ tenantId: this.tenantId, userId, ...summary }, 'scim: user deactivated');
  }

  /** The manager must be a person of this tenant (and not the user); an unknown id is refused. */
  private async managerIdOf(managerId: string | null, selfId: string | undefined): Promise<string | null> {
    if (!managerId) return null;
    const manager = isUuid(managerId) ? await this.prisma.user.findFirst({ where: { tenantId: this.tenantId, id: managerId, scimDeletedAt: null }, select: { id: true } }) : null;
    if (!manager) throw new ScimError(400, `The manager ${managerId.slice(0, 80)} is not a user of this service provider.`, 'invalidValue');
    if (manager.id === selfId) throw new ScimError(400, 'A user cannot be their own manager.', 'invalidValue');
    return manager.id;
  }

  private async find(id: string): Promise<User> {
    const row = isUuid(id) ? await this.prisma.user.findFirst({ where: { tenantId: this.tenantId, id, source: 'scim', scimDeletedAt: null } }) : null;
    if (!row) throw new ScimError(404, `User ${id.slice(0, 80)} not found.`);
    return row;
  }

  private async render(row: User): Promise<JsonObject> {
    const stored = { ...((row.scim ?? {}) as JsonObject) };
    const lastModified = typeof stored.lastModified === 'string' ? stored.lastModified : row.createdAt.toISOString();
    delete stored.lastModified;
    const [groups, manager] = await Promise.all([
      this.prisma.scimGroupMember.findMany({ where: { tenantId: this.tenantId, userId: row.id }, select: { groupId: true } })
        .then((ms) => this.prisma.scimGroup.findMany({ where: { tenantId: this.tenantId, id: { in: ms.map((m) => m.groupId) } }, select: { id: true, displayName: true }, orderBy: { displayName: 'asc' } })),
      row.managerId ? this.prisma.user.findFirst({ where: { tenantId: this.tenantId, id: row.managerId }, select: { id: true, displayName: true } }) : Promise.resolve(null),
    ]);
    const enterprise = { ...((stored[URN.enterprise] ?? {}) as JsonObject) };
    delete enterprise.manager;
    if (manager) enterprise.manager = { value: manager.id, displayName: manager.displayName, $ref: `${this.baseUrl}/Users/${manager.id}` };
    const hasEnterprise = Object.keys(enterprise).length > 0;
    return {
      schemas: hasEnterprise ? [URN.user, URN.enterprise] : [URN.user],
      id: row.id,
      ...stored,
      ...(hasEnterprise ? { [URN.enterprise]: enterprise } : {}),
      ...(row.externalId ? { externalId: row.externalId } : {}),
      displayName: row.displayName,
      active: row.deactivatedAt === null,
      groups: groups.map((g) => ({ value: g.id, display: g.displayName, $ref: `${this.baseUrl}/Groups/${g.id}` })),
      meta: { resourceType: 'User', created: row.createdAt.toISOString(), lastModified, location: `${this.baseUrl}/Users/${row.id}` },
    };
  }

  private async audit(action: string, userId: string, data: Record<string, string | null>): Promise<void> {
    await this.prisma.auditLog.create({ data: { tenantId: this.tenantId, actorUserId: null, action, targetType: 'user', targetId: userId, data: { ...data, via: 'scim' } } });
  }
}
