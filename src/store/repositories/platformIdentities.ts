import type { PrismaClient } from '../../generated/prisma/client.js';
import type { JsonValue } from '../../core/json.js';
import { toJson } from './json.js';
import { isUuid } from './users.js';

export interface PlatformKey {
  readonly platform: string;
  readonly teamId: string;
  readonly externalId: string;
}

export interface PlatformIdentityRecord extends PlatformKey {
  readonly id: string;
  readonly tenantId: string;
  readonly userId: string;
  /** How to reach the person proactively (Slack DM channel, Teams conversation reference). */
  readonly address: unknown;
}

type Row = { id: string; tenantId: string; userId: string; platform: string; teamId: string; externalId: string; address: unknown };
const toRecord = (r: Row): PlatformIdentityRecord => ({ id: r.id, tenantId: r.tenantId, userId: r.userId, platform: r.platform, teamId: r.teamId, externalId: r.externalId, address: r.address ?? null });

export class PlatformIdentityRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async find(tenantId: string, key: PlatformKey): Promise<PlatformIdentityRecord | null> {
    const row = await this.prisma.platformIdentity.findUnique({ where: { tenantId_platform_teamId_externalId: { tenantId, ...key } } });
    return row ? toRecord(row) : null;
  }

  async forUser(tenantId: string, userId: string, platform?: string): Promise<PlatformIdentityRecord[]> {
    if (!isUuid(userId)) return [];
    const rows = await this.prisma.platformIdentity.findMany({ where: { tenantId, userId, ...(platform ? { platform } : {}) }, orderBy: { updatedAt: 'desc' } });
    return rows.map(toRecord);
  }

  /** Idempotent: re-linking the same platform account moves it to the given user. */
  async link(tenantId: string, input: PlatformKey & { userId: string; address?: JsonValue }): Promise<PlatformIdentityRecord> {
    const { userId, address, ...key } = input;
    const data = { userId, ...(address !== undefined ? { address: toJson(address) } : {}) };
    const row = await this.prisma.platformIdentity.upsert({
      where: { tenantId_platform_teamId_externalId: { tenantId, ...key } },
      create: { tenantId, ...key, ...data },
      update: data,
    });
    return toRecord(row);
  }

  async setAddress(tenantId: string, key: PlatformKey, address: JsonValue): Promise<boolean> {
    const result = await this.prisma.platformIdentity.updateMany({ where: { tenantId, ...key }, data: { address: toJson(address) } });
    return result.count === 1;
  }
}
