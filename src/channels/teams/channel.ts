import type { TurnContext } from '@microsoft/agents-hosting';
import { ActivityTypes } from '@microsoft/agents-activity';
import type { Gateway, PlatformDirectory } from '../../gateway/gateway.js';
import type { RunEventBus } from '../../events/eventBus.js';
import type { RunEventLog } from '../../events/runEventLog.js';
import type { ApprovalDecider } from '../../engine/approvalDecider.js';
import type { KeyValueStore } from '../../infra/keyValue.js';
import type { HttpApp } from '../../http/httpApp.js';
import type { Logger } from '../../core/logger.js';
import { handleApprovalSubmit, handleCardInvoke, isApprovalSubmit, type TeamsIdentityResolver } from './approvalActions.js';
import { ApprovalCards } from './approvalCards.js';
import { teamsApproverOutreach } from './approverOutreach.js';
import type { ApproverOutreach } from '../runView/approverOutreach.js';
import { createCloudAdapter, proactiveIdentity } from './cloudAdapter.js';
import { TeamsConversations } from './conversations.js';
import { ActivityDedup } from './dedup.js';
import { handleMessage } from './inbound.js';
import { handlePersonalInstall, handleUninstall, isPersonalInstall, isUninstall, type TeamsUninstallHandler } from './installation.js';
import { mountMessagesRoute } from './nodeBridge.js';
import { TeamsProfiles } from './profiles.js';
import { TeamsProgressRenderer } from './progressRenderer.js';
import type { TeamsReferenceStore } from './references.js';
import { connectorRetryPolicy, withRetries } from './retry.js';
import { assertStartable, type TeamsSettings } from './settings.js';
import { tenantResolver, type TeamsTenantLookup } from './tenancy.js';

export interface TeamsChannelDeps {
  readonly settings: TeamsSettings;
  readonly gateway: Gateway;
  readonly events: RunEventBus;
  readonly approvals: ApprovalDecider;
  /** Teams user (Entra tenant, AAD object id) → tenant user; used to decide approval clicks. */
  readonly identity: TeamsIdentityResolver;
  /** Entra tenant → Switchboard tenant, from tenant configuration. */
  readonly tenantLookup: TeamsTenantLookup;
  /** Entra tenants named in the tenants file: the only ones a multi-tenant bot accepts tokens from. */
  readonly entraTenantIds?: readonly string[];
  /** Development fallback for unmapped Entra tenants (never used in production). */
  readonly defaultTenantId?: string;
  /** Conversation references per user (platform_identities.address). */
  readonly references: TeamsReferenceStore;
  /** The app was uninstalled or the bot removed: delete the stored references, and audit. */
  readonly onUninstalled?: TeamsUninstallHandler;
  readonly kv: KeyValueStore;
  readonly logger: Logger;
  readonly http: HttpApp;
  readonly now?: () => Date;
  /** Jitter source for retry backoff (tests pass a seeded one). */
  readonly random?: () => number;
  /** The stored run events: the renderer catches up from them on a gap, at start and periodically. */
  readonly eventLog?: RunEventLog;
  readonly catchUpIntervalMs?: number;
  /** The other chat platforms, where Teams requesters' approvers are also reached. */
  readonly elsewhere?: () => readonly ApproverOutreach[];
}

export interface TeamsChannel {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** For the gateway: Teams profiles (email) seen by the channel. */
  readonly directory: PlatformDirectory;
  /** Resolves when every in-flight Teams render has been delivered (tests, graceful shutdown). */
  idle(): Promise<void>;
  readonly activeRuns: number;
  /** Teams cards for approvers of runs requested on another platform. */
  readonly outreach: ApproverOutreach;
}

/**
 * The Microsoft Teams channel on the M365 Agents SDK: `POST /api/messages` through the SDK's
 * CloudAdapter (JWT-checked unless in anonymous development mode), messages → gateway Turns,
 * RunEvents → streamed or edited replies, Adaptive Card clicks → ApprovalDecider, personal installs
 * → remembered 1:1 chats (so approvers who never wrote to the bot can get cards).
 */
export function createTeamsChannel(deps: TeamsChannelDeps): TeamsChannel {
  const { settings } = deps;
  assertStartable(settings);
  const log = deps.logger.child({ component: 'teams' });
  const now = deps.now ?? (() => new Date());
  const adapter = createCloudAdapter(settings, log, deps.entraTenantIds ?? []);
  const policy = connectorRetryPolicy(settings.retry, log, deps.random);
  const conversations = new TeamsConversations(adapter, proactiveIdentity(settings), policy);
  const tenantFor = tenantResolver(deps.tenantLookup, { production: settings.production, ...(deps.defaultTenantId ? { defaultTenantId: deps.defaultTenantId } : {}) });
  const profiles = new TeamsProfiles(deps.kv, settings.profileCacheTtlMs, log);
  const cards = new ApprovalCards({ conversations, references: deps.references, kv: deps.kv, logger: log, now });
  const renderer = new TeamsProgressRenderer({
    conversations, approvals: cards, kv: deps.kv, logger: log, streamIntervalMs: settings.streamIntervalMs, minEditIntervalMs: settings.minEditIntervalMs,
    ...(deps.eventLog ? { log: deps.eventLog } : {}),
    ...(deps.catchUpIntervalMs !== undefined ? { catchUpIntervalMs: deps.catchUpIntervalMs } : {}),
    ...(deps.elsewhere ? { elsewhere: deps.elsewhere } : {}),
  });
  const inbound = { gateway: deps.gateway, dedup: new ActivityDedup(deps.kv), profiles, references: deps.references, tenantFor, logger: log, now };
  const actions = { approvals: deps.approvals, cards, identity: deps.identity, tenantFor, logger: log, now };
  const installs = { gateway: deps.gateway, profiles, references: deps.references, tenantFor, logger: log };

  const onTurn = async (context: TurnContext): Promise<void> => {
    withRetries(context, policy);
    const activity = context.activity;
    if (activity.type === ActivityTypes.Invoke && activity.name === 'adaptiveCard/action') return handleCardInvoke(context, actions);
    if (isPersonalInstall(activity)) return handlePersonalInstall(context, installs);
    if (deps.onUninstalled && isUninstall(activity)) return handleUninstall(context, { tenantFor, onUninstalled: deps.onUninstalled, logger: log });
    if (activity.type !== ActivityTypes.Message) return;
    if (isApprovalSubmit(activity)) return handleApprovalSubmit(context, actions);
    return handleMessage(context, inbound);
  };

  let mounted = false;
  let unsubscribe: (() => Promise<void>) | undefined;
  return {
    outreach: teamsApproverOutreach(cards),
    directory: profiles.directory(tenantFor),
    async start() {
      if (!mounted) {
        mountMessagesRoute(deps.http, adapter, onTurn, log);
        mounted = true;
      }
      unsubscribe ??= await deps.events.subscribe((event) => renderer.handle(event));
      // Subscribed first, then caught up: whatever was stored while nobody listened is rendered now.
      await renderer.start();
      log.info({ auth: settings.auth.mode }, 'teams channel started');
    },
    async stop() {
      await unsubscribe?.();
      unsubscribe = undefined;
      renderer.close();
    },
    idle: () => renderer.idle(),
    get activeRuns() {
      return renderer.activeRuns;
    },
  };
}
