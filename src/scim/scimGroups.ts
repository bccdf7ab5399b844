import { z } from 'zod';
import type { Prisma, PrismaClient, ScimGroup } from '../generated/prisma/client.js';
import type { TenantConfig } from '../config/tenantConfig.js';
import type { JsonObject } from '../core/json.js';
import { isUuid } from '../store/repositories/users.js';
import type { EqFilter } from './filter.js';
import { applyPatch, keyOf, type PatchOperation } from './patch.js';
import { ScimError, URN, type Page } from './protocol.js';
import { refreshAccess } from './roleMapping.js';

export const GROUP_FILTERS = ['displayname', 'externalid', 'id'] as const;

const groupDocumentSchema = z.object({
  displayName: z.string().trim().min(1, 'displayName is required').max(256),
  externalId: z.string().max(256).nullish(),
  members: z.array(z.object({ value: z.string().min(1).max(100) }).passthrough()).max(100_000).nullish(),
});
type GroupDocument = z.infer<typeof groupDocumentSchema>;

function parseGroup(input: unknown): GroupDocument {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new ScimError(400, 'The body must be a JSON object.', 'invalidSyntax');
  const obj = input as JsonObject;
  const canonical = { displayName: obj[keyOf(obj, 'displayName')], externalId: obj[keyOf(obj, 'externalId')], members: obj[keyOf(obj, 'members')] };
  const parsed = groupDocumentSchema.safeParse(canonical);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ScimError(400, `${issue?.path.join('.') || 'Group'}: ${issue?.message ?? 'invalid'}`, 'invalidValue');
  }
  return parsed.data;
}

/**
 * Groups pushed by the IdP. Membership is what turns into roles and approver groups (the tenant's
 * groupMappings); every change recomputes exactly the people whose membership it touched.
 */
export class ScimGroups {
  constructor(private readonly prisma: PrismaClient, private readonly tenant: TenantConfig, private readonly baseUrl: string) {}

  private get tenantId(): string {
    return this.tenant.id;
  }

  async get(id: string, withMembers: boolean): Promise<JsonObject> {
    return this.render(await this.find(id), withMembers);
  }

  async list(filter: EqFilter | undefined, page: Page, withMembers: boolean): Promise<{ total: number; resources: JsonObject[] }> {
    const where: Prisma.ScimGroupWhereInput = { tenantId: this.tenantId };
    if (filter) {
      const value = typeof filter.value === 'string' ? filter.value : '';
      if (filter.attribute === 'displayname') where.displayName = { equals: value, mode: 'insensitive' };
      else if (filter.attribute === 'externalid') where.externalId = value;
      else where.id = isUuid(value) ? value : '00000000-0000-0000-0000-000000000000';
    }
    const [total, rows] = await Promise.all([
      this.prisma.scimGroup.count({ where }),
      page.count === 0 ? Promise.resolve([]) : this.prisma.scimGroup.findMany({ where, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], skip: page.startIndex - 1, take: page.count }),
    ]);
    return { total, resources: await Promise.all(rows.map((row) => this.render(row, withMembers))) };
  }

  async create(body: unknown): Promise<JsonObject> {
    const doc = parseGroup(body);
    await this.assertNameFree(doc.displayName, undefined);
    const group = await this.prisma.scimGroup.create({ data: { tenantId: this.tenantId, displayName: doc.displayName, externalId: doc.externalId ?? null } });
    await this.setMembers(group.id, await this.knownUsers(doc.members ?? []), []);
    await this.audit('group.provisioned', group.id, { displayName: group.displayName });
    return this.get(group.id, true);
  }

  async replace(id: string, body: unknown): Promise<JsonObject> {
    const group = await this.find(id);
    return this.write(group, parseGroup(body), await this.memberIds(group.id));
  }

  async patch(id: string, operations: readonly PatchOperation[]): Promise<JsonObject> {
    const group = await this.find(id);
    const before = await this.memberIds(group.id);
    const current: JsonObject = { displayName: group.displayName, ...(group.externalId ? { externalId: group.externalId } : {}), members: before.map((value) => ({ value })) };
    // Okta sends the group's own id in a path-less replace value; it is not an attribute to change.
    const cleaned = operations.map((op) => (op.value && typeof op.value === 'object' && !Array.isArray(op.value) ? { ...op, value: Object.fromEntries(Object.entries(op.value).filter(([k]) => !['id', 'schemas', 'meta'].includes(k.toLowerCase()))) } : op));
    return this.write(group, parseGroup(applyPatch(current, cleaned, [])), before);
  }

  async remove(id: string): Promise<void> {
    const group = await this.find(id);
    const members = await this.memberIds(group.id);
    await this.prisma.scimGroup.delete({ where: { id: group.id } });
    await this.audit('group.deprovisioned', group.id, { displayName: group.displayName });
    await refreshAccess(this.prisma, this.tenantId, members, this.tenant.scim);
  }

  private async write(group: ScimGroup, doc: GroupDocument, before: readonly string[]): Promise<JsonObject> {
    if (doc.displayName.toLowerCase() !== group.displayName.toLowerCase()) await this.assertNameFree(doc.displayName, group.id);
    const renamed = doc.displayName !== group.displayName;
    await this.prisma.scimGroup.update({ where: { id: group.id }, data: { displayName: doc.displayName, externalId: doc.externalId ?? null } });
    const after = await this.knownUsers(doc.members ?? []);
    await this.setMembers(group.id, after, before);
    // A rename can change what the group maps to, so everyone in it is recomputed.
    if (renamed) await refreshAccess(this.prisma, this.tenantId, [...new Set([...before, ...after])], this.tenant.scim);
    return this.get(group.id, true);
  }

  private async setMembers(groupId: string, after: readonly string[], before: readonly string[]): Promise<void> {
    const keep = new Set(after);
    const had = new Set(before);
    const added = after.filter((id) => !had.has(id));
    const removed = before.filter((id) => !keep.has(id));
    if (removed.length > 0) await this.prisma.scimGroupMember.deleteMany({ where: { tenantId: this.tenantId, groupId, userId: { in: removed } } });
    if (added.length > 0) await this.prisma.scimGroupMember.createMany({ data: added.map((userId) => ({ tenantId: this.tenantId, groupId, userId })), skipDuplicates: true });
    if (added.length + removed.length > 0) {
      await this.prisma.scimGroup.update({ where: { id: groupId }, data: { updatedAt: new Date() } });
      await refreshAccess(this.prisma, this.tenantId, [...added, ...removed], this.tenant.scim);
    }
  }

  /** Members must be people of this tenant; an id from elsewhere is refused, not silently dropped. */
  private async knownUsers(members: readonly { value: string }[]): Promise<string[]> {
    const ids = [...new Set(members.map((m) => m.value))];
    const bad = ids.find((id) => !isUuid(id));
    if (bad) throw new ScimError(400, `Member ${bad.slice(0, 80)} is not a user of this service provider.`, 'invalidValue');
    const found = await this.prisma.user.findMany({ where: { tenantId: this.tenantId, id: { in: ids }, scimDeletedAt: null }, select: { id: true } });
    if (found.length !== ids.length) {
      const known = new Set(found.map((u) => u.id));
      throw new ScimError(400, `Member ${ids.find((id) => !known.has(id))} is not a user of this service provider.`, 'invalidValue');
    }
    return ids;
  }

  private async assertNameFree(displayName: string, selfId: string | undefined): Promise<void> {
    const clash = await this.prisma.scimGroup.findFirst({ where: { tenantId: this.tenantId, displayName: { equals: displayName, mode: 'insensitive' }, ...(selfId ? { id: { not: selfId } } : {}) }, select: { id: true } });
    if (clash) throw new ScimError(409, `A group named "${displayName}" already exists.`, 'uniqueness');
  }

  private async memberIds(groupId: string): Promise<string[]> {
    const rows = await this.prisma.scimGroupMember.findMany({ where: { tenantId: this.tenantId, groupId }, select: { userId: true } });
    return rows.map((r) => r.userId);
  }

  private async find(id: string): Promise<ScimGroup> {
    const row = isUuid(id) ? await this.prisma.scimGroup.findFirst({ where: { tenantId: this.tenantId, id } }) : null;
    if (!row) throw new ScimError(404, `Group ${id.slice(0, 80)} not found.`);
    return row;
  }

  private async render(group: ScimGroup, withMembers: boolean): Promise<JsonObject> {
    const members = withMembers
      ? await this.prisma.user.findMany({ where: { tenantId: this.tenantId, id: { in: await this.memberIds(group.id) } }, select: { id: true, displayName: true }, orderBy: { id: 'asc' } })
      : [];
    return {
      schemas: [URN.group],
      id: group.id,
      displayName: group.displayName,
      ...(group.externalId ? { externalId: group.externalId } : {}),
      ...(withMembers ? { members: members.map((m) => ({ value: m.id, display: m.displayName, $ref: `${this.baseUrl}/Users/${m.id}` })) } : {}),
      meta: { resourceType: 'Group', created: group.createdAt.toISOString(), lastModified: group.updatedAt.toISOString(), location: `${this.baseUrl}/Groups/${group.id}` },
    };
  }

  private async audit(action: string, groupId: string, data: Record<string, string>): Promise<void> {
    await this.prisma.auditLog.create({ data: { tenantId: this.tenantId, actorUserId: null, action, targetType: 'scim_group', targetId: groupId, data: { ...data, via: 'scim' } } });
  }
}
