import type { Env } from '../config/env.js';
import type { Posture } from '../config/posture.js';
import type { TenantConfig } from '../config/tenantConfig.js';
import type { Logger } from '../core/logger.js';
import type { HttpApp } from '../http/httpApp.js';
import type { Infra } from '../infra/infra.js';
import type { Gateway, PlatformDirectory } from '../gateway/gateway.js';
import type { RunEventBus } from '../events/eventBus.js';
import { PrismaRunEventLog } from '../events/runEventLog.js';
import type { ApproverOutreach } from '../channels/runView/approverOutreach.js';
import type { ApprovalDecider } from '../engine/approvalDecider.js';
import { forgetChatInstallation, type Repositories } from '../store/repositories/index.js';
import { createSlackChannel, PrismaSlackInstallationStore, slackSettingsFromEnv } from '../channels/slack/index.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { SecretBox } from '../store/crypto/index.js';
import { createTeamsChannel, platformIdentityReferenceStore, teamsSettingsFromEnv } from '../channels/teams/index.js';

export interface ChatChannel {
  readonly name: 'slack' | 'teams';
  /** One line for the startup banner. */
  readonly summary: string;
  readonly directory: PlatformDirectory;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface ChatChannelDeps {
  readonly env: Env;
  /** Anonymous Teams and the default-tenant fallback exist only in the embedded posture. */
  readonly posture: Posture;
  readonly envSource: Readonly<Record<string, string | undefined>>;
  readonly tenants: readonly TenantConfig[];
  readonly gateway: Gateway;
  readonly events: RunEventBus;
  readonly approvals: ApprovalDecider;
  readonly repositories: Repositories;
  /** Multi-workspace Slack keeps its installations (sealed bot tokens) in Postgres. */
  readonly prisma: PrismaClient;
  readonly box: SecretBox;
  readonly infra: Infra;
  readonly http: HttpApp;
  readonly logger: Logger;
  readonly publicUrl: string;
}

/**
 * Slack when its credentials are set; Teams when its credentials are set, or anonymously in the
 * embedded posture. Neither needs the other: a Slack-only or Teams-only deployment starts.
 */
export function createChatChannels(deps: ChatChannelDeps): { channels: ChatChannel[]; skipped: Record<'slack' | 'teams', string> } {
  const channels: ChatChannel[] = [];
  const skipped = { slack: 'off (set SLACK_BOT_TOKEN + SLACK_SIGNING_SECRET, or SLACK_CLIENT_ID/SECRET)', teams: 'off' };
  const { repositories, tenants } = deps;
  const defaultTenantId = tenants.length === 1 ? tenants[0]!.id : undefined;
  // Renderers read back what live pub/sub missed (gaps, restarts, a crash between store and publish).
  const eventLog = new PrismaRunEventLog(deps.prisma);
  // Approvers are reached on every configured platform, whatever the requester's: each channel asks the others.
  const outreach: { slack?: ApproverOutreach; teams?: ApproverOutreach } = {};
  const othersThan = (name: 'slack' | 'teams') => (): ApproverOutreach[] => Object.entries(outreach).filter(([key]) => key !== name).map(([, value]) => value);

  const slackSettings = slackSettingsFromEnv(deps.envSource);
  if (slackSettings) {
    const tenantLookup = (teamId: string, enterpriseId: string | undefined): string | null =>
      tenants.find((t) => t.slack.teamIds.includes(teamId) || (enterpriseId !== undefined && t.slack.enterpriseIds.includes(enterpriseId)))?.id ?? null;
    const slack = createSlackChannel({
      settings: slackSettings,
      gateway: deps.gateway,
      events: deps.events,
      approvals: deps.approvals,
      identity: async (teamId, slackUserId) => {
        // The identity key is the Grid org id (E…) or the workspace id (T…); either may name the tenant.
        const tenantId = tenantLookup(teamId, teamId) ?? deps.env.SLACK_TENANT_ID ?? defaultTenantId;
        if (!tenantId) return null;
        const user = await deps.gateway.identify({ tenantId, channel: 'slack', platformUser: { externalId: slackUserId, teamId } });
        return user ? { tenantId, userId: user.userId } : null;
      },
      tenantLookup,
      ...(slackSettings.mode === 'multi' ? { installationStore: new PrismaSlackInstallationStore(deps.prisma, deps.box, tenantLookup) } : {}),
      kv: deps.infra.kv,
      logger: deps.logger,
      http: deps.http,
      ...(defaultTenantId ? { defaultTenantId } : {}),
      findSlackUser: async (tenantId, userId) => (await repositories.identities.forUser(tenantId, userId, 'slack'))[0]?.externalId ?? null,
      onUninstalled: async ({ tenantId, teamId, enterpriseId, enterpriseInstall, reason }) => {
        await forgetChatInstallation(deps.prisma, { tenantId, platform: 'slack', reason, teamId, ...(enterpriseId ? { enterpriseId } : {}), enterpriseInstall });
      },
      eventLog,
      elsewhere: othersThan('slack'),
      workspaceOf: (tenantId) => {
        const teamId = tenants.find((t) => t.id === tenantId)?.slack.teamIds[0];
        return teamId ? { teamId } : null;
      },
    });
    outreach.slack = slack.outreach;
    channels.push({ name: 'slack', summary: slackSettings.mode === 'socket' ? 'on (Socket Mode, no public endpoint needed)' : `on (${slackSettings.mode}) at ${deps.publicUrl}/slack/events`, directory: slack.directory, start: () => slack.start(), stop: () => slack.stop() });
  }

  const anonymous = deps.env.MICROSOFT_APP_ID === undefined;
  if (!anonymous || deps.posture.anonymousTeams) {
    // Settings only once Teams is wanted: they refuse anonymous mode in production, which would stop
    // a Slack-only deployment. Deployed counts as production for Teams (no anonymous mode, no
    // fallback to the default tenant for an unmapped Entra tenant), whatever NODE_ENV says.
    const deployed = deps.posture.kind === 'deployed';
    const teamsSettings = teamsSettingsFromEnv(deployed ? { ...deps.envSource, NODE_ENV: 'production' } : deps.envSource);
    const tenantLookup = (entraTenantId: string): string | null => tenants.find((t) => t.teams.entraTenantIds.includes(entraTenantId))?.id ?? null;
    const teams = createTeamsChannel({
      settings: teamsSettings,
      gateway: deps.gateway,
      events: deps.events,
      approvals: deps.approvals,
      identity: async (entraTenantId, aadObjectId) => {
        const tenantId = tenantLookup(entraTenantId) ?? (deps.posture.defaultTenantFallback ? defaultTenantId ?? null : null);
        if (!tenantId) return null;
        const user = await deps.gateway.identify({ tenantId, channel: 'teams', platformUser: { externalId: aadObjectId, teamId: entraTenantId } });
        return user ? { tenantId, userId: user.userId } : null;
      },
      tenantLookup,
      entraTenantIds: tenants.flatMap((t) => t.teams.entraTenantIds),
      ...(defaultTenantId ? { defaultTenantId } : {}),
      references: platformIdentityReferenceStore(repositories.identities),
      onUninstalled: async ({ tenantId, entraTenantId, aadObjectId, reason }) => {
        await forgetChatInstallation(deps.prisma, { tenantId, platform: 'teams', reason, teamId: entraTenantId, ...(aadObjectId ? { externalUserId: aadObjectId } : {}) });
      },
      eventLog,
      elsewhere: othersThan('teams'),
      kv: deps.infra.kv,
      logger: deps.logger,
      http: deps.http,
    });
    outreach.teams = teams.outreach;
    channels.push({
      name: 'teams',
      summary: `${anonymous ? 'on (anonymous, embedded demo only; Bot Framework Emulator)' : 'on'} at ${deps.publicUrl}/api/messages`,
      directory: teams.directory,
      start: () => teams.start(),
      stop: () => teams.stop(),
    });
  } else {
    skipped.teams = 'off (set MICROSOFT_APP_ID + MICROSOFT_APP_PASSWORD)';
  }
  return { channels, skipped };
}
