import type { PrismaClient } from '../../generated/prisma/client.js';

/** A chat platform told us the app is gone from a workspace, an org, a chat or one person's Teams. */
export interface ChatUninstall {
  readonly tenantId: string;
  readonly platform: 'slack' | 'teams';
  /** Slack: app_uninstalled | tokens_revoked; Teams: installationUpdate remove | bot removed from the conversation. */
  readonly reason: string;
  /** Slack workspace (T…) or Teams Entra tenant id. */
  readonly teamId: string;
  /** Slack Grid org (E…). */
  readonly enterpriseId?: string;
  /** Slack: the org-wide (Grid) installation itself was removed. */
  readonly enterpriseInstall?: boolean;
  /** Teams personal scope: whose 1:1 chat with the bot is gone (AAD object id). */
  readonly externalUserId?: string;
}

export interface ChatUninstallResult {
  readonly installationsDeleted: number;
  readonly identitiesDeleted: number;
}

/**
 * Deletes what Switchboard kept to reach people through an installation that no longer exists: the
 * sealed bot tokens (channel_installations) and the platform identities with their stored
 * conversation references (DM channels, Teams 1:1 chat references), then says so in the audit log.
 * Identities are re-created from the person's email the next time they write after a reinstall.
 */
export async function forgetChatInstallation(prisma: PrismaClient, input: ChatUninstall): Promise<ChatUninstallResult> {
  const { tenantId, platform } = input;
  return prisma.$transaction(async (tx) => {
    let installationsDeleted = 0;
    let identitiesDeleted = 0;
    if (platform === 'slack') {
      const installations = input.enterpriseInstall && input.enterpriseId
        ? { platform, enterpriseId: input.enterpriseId, teamId: null }
        : { platform, teamId: input.teamId };
      installationsDeleted = (await tx.channelInstallation.deleteMany({ where: { tenantId, ...installations } })).count;
      // Slack identities are keyed by the Grid org when there is one, else by the workspace.
      const keys = input.enterpriseInstall && input.enterpriseId ? [input.enterpriseId] : [input.enterpriseId ?? input.teamId];
      identitiesDeleted = (await tx.platformIdentity.deleteMany({ where: { tenantId, platform, teamId: { in: keys } } })).count;
    } else if (input.externalUserId) {
      identitiesDeleted = (await tx.platformIdentity.deleteMany({ where: { tenantId, platform, teamId: input.teamId, externalId: input.externalUserId } })).count;
    }
    await tx.auditLog.create({
      data: {
        tenantId,
        actorUserId: null,
        action: `${platform}.uninstalled`,
        targetType: 'channel_installation',
        targetId: input.enterpriseInstall && input.enterpriseId ? input.enterpriseId : input.teamId,
        data: {
          reason: input.reason,
          ...(input.enterpriseId ? { enterpriseId: input.enterpriseId } : {}),
          ...(input.externalUserId ? { externalUserId: input.externalUserId } : {}),
          installationsDeleted,
          identitiesDeleted,
        },
      },
    });
    return { installationsDeleted, identitiesDeleted };
  });
}
