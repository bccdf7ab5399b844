import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import type { PrismaClient } from '../../generated/prisma/client.js';
import type { SecretBox } from '../../store/crypto/index.js';
import { SlackWorkspaceNotConfiguredError, SlackWorkspaceNotInstalledError } from './errors.js';

const PLATFORM = 'slack';
const PURPOSE = 'slack-installation';

type AnyInstallation = Installation<'v1' | 'v2', boolean>;

/**
 * Multi-workspace installs in channel_installations: the whole Installation (it holds the bot token)
 * is sealed with AES-256-GCM, bound to its tenant and workspace so a row copied elsewhere cannot be
 * opened. Which tenant owns a workspace comes from tenant configuration at install time; an install
 * from a workspace no tenant claims is refused.
 */
export class PrismaSlackInstallationStore implements InstallationStore {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly box: SecretBox,
    private readonly tenantFor: (teamId: string, enterpriseId: string | undefined) => Promise<string | null> | string | null,
  ) {}

  async storeInstallation<AuthVersion extends 'v1' | 'v2'>(installation: Installation<AuthVersion, boolean>): Promise<void> {
    const enterpriseId = installation.enterprise?.id ?? null;
    const teamId = installation.isEnterpriseInstall ? null : (installation.team?.id ?? null);
    const tenantId = await this.tenantFor(installation.team?.id ?? '', enterpriseId ?? undefined);
    if (!tenantId) throw new SlackWorkspaceNotConfiguredError(enterpriseId ?? teamId ?? 'unknown');
    const sealed = this.box.sealJson(installation, binding(tenantId, teamId, enterpriseId));
    const data = { tenantId, ciphertext: Buffer.from(sealed.ciphertext), keyId: sealed.keyId };
    // The unique key has nullable columns (NULLs never collide in Postgres), so match explicitly.
    await this.prisma.$transaction(async (tx) => {
      const existing = await tx.channelInstallation.findFirst({ where: { platform: PLATFORM, teamId, enterpriseId } });
      if (existing) await tx.channelInstallation.update({ where: { id: existing.id }, data });
      else await tx.channelInstallation.create({ data: { ...data, platform: PLATFORM, teamId, enterpriseId } });
    });
  }

  async fetchInstallation(query: InstallationQuery<boolean>): Promise<AnyInstallation> {
    const row = await this.find(query);
    if (!row) throw new SlackWorkspaceNotInstalledError(query.enterpriseId ?? query.teamId ?? 'unknown');
    return this.box.openJson({ ciphertext: row.ciphertext, keyId: row.keyId }, binding(row.tenantId, row.teamId, row.enterpriseId)) as AnyInstallation;
  }

  async deleteInstallation(query: InstallationQuery<boolean>): Promise<void> {
    const row = await this.find(query);
    if (row) await this.prisma.channelInstallation.delete({ where: { id: row.id } });
  }

  /** The tenant an installed workspace (or Grid org) belongs to. */
  async tenantOf(teamId: string, enterpriseId: string | undefined): Promise<string | null> {
    const row = await this.find({ teamId, enterpriseId, isEnterpriseInstall: false });
    return row?.tenantId ?? null;
  }

  private async find(query: InstallationQuery<boolean>) {
    if (query.isEnterpriseInstall && query.enterpriseId) {
      return this.prisma.channelInstallation.findFirst({ where: { platform: PLATFORM, enterpriseId: query.enterpriseId, teamId: null } });
    }
    if (query.teamId) {
      const workspace = await this.prisma.channelInstallation.findFirst({ where: { platform: PLATFORM, teamId: query.teamId, enterpriseId: query.enterpriseId ?? null } });
      if (workspace) return workspace;
    }
    // A workspace inside an org-wide (Grid) install is served by the org's installation.
    if (query.enterpriseId) return this.prisma.channelInstallation.findFirst({ where: { platform: PLATFORM, enterpriseId: query.enterpriseId, teamId: null } });
    return null;
  }
}

function binding(tenantId: string, teamId: string | null, enterpriseId: string | null) {
  return { purpose: PURPOSE, tenantId, parts: [teamId ?? '', enterpriseId ?? ''] };
}
