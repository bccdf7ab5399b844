import type { PrismaClient } from '../../generated/prisma/client.js';
import { PermissionDeniedError } from '../../core/errors.js';
import type { SecretBox, SecretBinding } from '../crypto/secretBox.js';

export interface InstallationKey {
  readonly platform: string;
  readonly teamId?: string | null;
  readonly enterpriseId?: string | null;
}

export interface ChannelInstallationRecord<T = unknown> {
  readonly id: string;
  readonly tenantId: string;
  readonly platform: string;
  readonly teamId: string | null;
  readonly enterpriseId: string | null;
  /** Decrypted installation payload (bot tokens inside); callers validate its shape. */
  readonly installation: T;
}

type Row = { id: string; tenantId: string; platform: string; teamId: string | null; enterpriseId: string | null; ciphertext: Uint8Array; keyId: string };

/**
 * Slack/Teams installs, encrypted at rest and bound to their tenant and team. `resolve` is the one
 * lookup without a tenant: it is how an incoming event finds its tenant in the first place.
 */
export class ChannelInstallationRepository {
  constructor(private readonly prisma: PrismaClient, private readonly box: SecretBox) {}

  private binding(tenantId: string, key: InstallationKey): SecretBinding {
    return { purpose: 'channel-installation', tenantId, parts: [key.platform, key.teamId ?? '', key.enterpriseId ?? ''] };
  }

  private where(key: InstallationKey): { platform: string; teamId: string | null; enterpriseId: string | null } {
    return { platform: key.platform, teamId: key.teamId ?? null, enterpriseId: key.enterpriseId ?? null };
  }

  private open(row: Row): ChannelInstallationRecord {
    const installation = this.box.openJson(row, this.binding(row.tenantId, row));
    return { id: row.id, tenantId: row.tenantId, platform: row.platform, teamId: row.teamId, enterpriseId: row.enterpriseId, installation };
  }

  async save(tenantId: string, key: InstallationKey, installation: unknown): Promise<ChannelInstallationRecord> {
    const sealed = this.box.sealJson(installation, this.binding(tenantId, key));
    const where = this.where(key);
    // NULL team/enterprise ids are distinct in a unique index, so upsert by hand inside a transaction.
    const row = await this.prisma.$transaction(async (tx) => {
      const existing = await tx.channelInstallation.findFirst({ where });
      if (existing && existing.tenantId !== tenantId) throw new PermissionDeniedError(`installation ${key.platform}/${key.teamId ?? key.enterpriseId} belongs to another tenant`, 'This workspace is already connected to another organisation.');
      return existing
        ? tx.channelInstallation.update({ where: { id: existing.id }, data: { ciphertext: sealed.ciphertext, keyId: sealed.keyId } })
        : tx.channelInstallation.create({ data: { tenantId, ...where, ciphertext: sealed.ciphertext, keyId: sealed.keyId } });
    });
    return { id: row.id, tenantId, platform: row.platform, teamId: row.teamId, enterpriseId: row.enterpriseId, installation };
  }

  async find(tenantId: string, key: InstallationKey): Promise<ChannelInstallationRecord | null> {
    const row = await this.prisma.channelInstallation.findFirst({ where: { tenantId, ...this.where(key) } });
    return row ? this.open(row) : null;
  }

  /** Team install first, then an org-wide (Enterprise Grid) install. */
  async resolve(key: InstallationKey): Promise<ChannelInstallationRecord | null> {
    if (key.teamId) {
      const team = await this.prisma.channelInstallation.findFirst({ where: { platform: key.platform, teamId: key.teamId }, orderBy: { updatedAt: 'desc' } });
      if (team) return this.open(team);
    }
    if (key.enterpriseId) {
      const org = await this.prisma.channelInstallation.findFirst({ where: { platform: key.platform, enterpriseId: key.enterpriseId, teamId: null } });
      if (org) return this.open(org);
    }
    return null;
  }

  async delete(tenantId: string, key: InstallationKey): Promise<boolean> {
    const result = await this.prisma.channelInstallation.deleteMany({ where: { tenantId, ...this.where(key) } });
    return result.count > 0;
  }
}
