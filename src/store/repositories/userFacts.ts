import type { PrismaClient } from '../../generated/prisma/client.js';
import { isUuid } from './users.js';

export interface UserFactRecord {
  readonly key: string;
  readonly value: string;
  readonly updatedAt: Date;
}

export class UserFactRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async get(tenantId: string, userId: string, key: string): Promise<string | null> {
    if (!isUuid(userId)) return null;
    const row = await this.prisma.userFact.findFirst({ where: { tenantId, userId, key } });
    return row?.value ?? null;
  }

  async list(tenantId: string, userId: string): Promise<UserFactRecord[]> {
    if (!isUuid(userId)) return [];
    return this.prisma.userFact.findMany({ where: { tenantId, userId }, select: { key: true, value: true, updatedAt: true }, orderBy: { key: 'asc' } });
  }

  async set(tenantId: string, userId: string, key: string, value: string): Promise<void> {
    await this.prisma.userFact.upsert({
      where: { tenantId_userId_key: { tenantId, userId, key } },
      create: { tenantId, userId, key, value },
      update: { value },
    });
  }

  async delete(tenantId: string, userId: string, key: string): Promise<boolean> {
    if (!isUuid(userId)) return false;
    const result = await this.prisma.userFact.deleteMany({ where: { tenantId, userId, key } });
    return result.count > 0;
  }
}
