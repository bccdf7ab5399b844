import type { PrismaClient } from '../../generated/prisma/client.js';
import { tenantSchema, type TenantConfig } from '../../config/tenantConfig.js';
import { ValidationError } from '../../core/errors.js';
import { toJson } from './json.js';

export interface TenantRecord {
  readonly id: string;
  readonly name: string;
  readonly config: TenantConfig;
  readonly updatedAt: Date;
}

export class TenantRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /** Stores the validated config as given; the id inside it must be the tenant being written. */
  async upsertFromConfig(tenantId: string, config: TenantConfig): Promise<TenantRecord> {
    if (config.id !== tenantId) throw new ValidationError(`tenant config id ${config.id} does not match ${tenantId}`, 'That tenant configuration belongs to another tenant.');
    const row = await this.prisma.tenant.upsert({
      where: { id: tenantId },
      create: { id: tenantId, name: config.name, config: toJson(config) },
      update: { name: config.name, config: toJson(config) },
    });
    return { id: row.id, name: row.name, config, updatedAt: row.updatedAt };
  }

  async get(tenantId: string): Promise<TenantRecord | null> {
    const row = await this.prisma.tenant.findUnique({ where: { id: tenantId } });
    if (!row) return null;
    // Re-validated on read: the stored JSON may predate a schema change.
    return { id: row.id, name: row.name, config: tenantSchema.parse(row.config), updatedAt: row.updatedAt };
  }
}
