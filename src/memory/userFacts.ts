import { z } from 'zod';
import type { PrismaClient } from '../generated/prisma/client.js';

const factKey = z.string().regex(/^[a-z][a-zA-Z0-9_.-]{0,63}$/, 'fact keys look like "jira.defaultProject"');
const factValue = z.string().trim().min(1).max(500);

/** Long-term facts per user (defaults and preferences), always read and written within one tenant. */
export class UserFactStore {
  constructor(private readonly prisma: PrismaClient) {}

  async all(tenantId: string, userId: string): Promise<Record<string, string>> {
    const rows = await this.prisma.userFact.findMany({ where: { tenantId, userId }, select: { key: true, value: true }, orderBy: { key: 'asc' } });
    return Object.fromEntries(rows.map((r) => [r.key, r.value]));
  }

  async set(tenantId: string, userId: string, key: string, value: string): Promise<void> {
    const k = factKey.parse(key);
    const v = factValue.parse(value);
    await this.prisma.userFact.upsert({
      where: { tenantId_userId_key: { tenantId, userId, key: k } },
      create: { tenantId, userId, key: k, value: v },
      update: { value: v },
    });
  }

  async remove(tenantId: string, userId: string, key: string): Promise<void> {
    await this.prisma.userFact.deleteMany({ where: { tenantId, userId, key } });
  }
}
