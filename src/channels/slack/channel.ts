import bolt from '@slack/bolt';
import type { App as BoltApp, AppOptions, InstallationStore } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Gateway, PlatformDirectory } from '../../gateway/gateway.js';
import type { RunEventBus } from '../../events/eventBus.js';
import type { RunEventLog } from '../../events/runEventLog.js';
import type { ApprovalDecider } from '../../engine/approvalDecider.js';
import type { KeyValueStore } from '../../infra/keyValue.js';
import type { HttpApp } from '../../http/httpApp.js';
import type { Logger } from '../../core/logger.js';
import { ConfigError } from '../../core/errors.js';
import type { SlackAddress } from './address.js';
import { registerApprovalActions, type SlackIdentityResolver } from './approvalActions.js';
import { ApprovalMessages } from './approvalMessages.js';
import { slackApproverOutreach } from './approverOutreach.js';
import type { ApproverOutreach } from '../runView/approverOutreach.js';
import { SlackDirectory } from './directory.js';
import { registerHomeHandlers } from './homeHandlers.js';
import { registerMessageHandlers } from './inbound.js';
import { mountOAuthRoutes } from './oauthRoutes.js';
import { SlackProgressRenderer } from './progressRenderer.js';
import { HttpAppReceiver } from './receiver.js';
import type { SlackSettings } from './settings.js';
import { SlackSocketModeReceiver } from './socketModeReceiver.js';
import { toSlackLogger } from './slackLogger.js';
import { registerUninstallHandlers, type SlackUninstallHandler } from './uninstall.js';
import { installationClients, singleTokenClients, slackClientOptions, type SlackClientProvider } from './webClients.js';

const { App } = bolt;

export type SlackTenantLookup = (teamId: string, enterpriseId: string | undefined) => string | null | Promise<string | null>;

export interface SlackChannelDeps {
  readonly settings: SlackSettings;
  readonly gateway: Gateway;
  readonly events: RunEventBus;
  readonly approvals: ApprovalDecider;
  /** Slack user (identity team key = Grid org id or workspace id) → tenant user. */
  readonly identity: SlackIdentityResolver;
  /** Workspace / Grid org → tenant, from tenant configuration. */
  readonly tenantLookup: SlackTenantLookup;
  /** Required in multi-workspace mode (channel_installations in Postgres). */
  readonly installationStore?: InstallationStore;
  readonly kv: KeyValueStore;
  readonly logger: Logger;
  readonly http: HttpApp;
  /** Tenant of a single-workspace install when SLACK_TENANT_ID is unset: the only configured tenant. */
  readonly defaultTenantId?: string;
  /** A stored Slack identity for a tenant user (approver DMs); email lookup otherwise. */
  readonly findSlackUser?: (tenantId: string, userId: string) => Promise<string | null>;
  /** app_uninstalled / tokens_revoked: delete the workspace's stored tokens and references, and audit. */
  readonly onUninstalled?: SlackUninstallHandler;
  readonly now?: () => Date;
  /** The stored run events: the renderer catches up from them on a gap, at start and periodically. */
  readonly eventLog?: RunEventLog;
  readonly catchUpIntervalMs?: number;
  /** The other chat platforms, where Slack requesters' approvers are also reached. */
  readonly elsewhere?: () => readonly ApproverOutreach[];
  /** The tenant's workspace for multi-workspace Slack (approvers of runs requested elsewhere). */
  readonly workspaceOf?: (tenantId: string) => { readonly teamId: string; readonly enterpriseId?: string } | null;
}

export interface SlackChannel {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** For the gateway: Slack profile (email) lookups. */
  readonly directory: PlatformDirectory;
  /** Resolves when every in-flight Slack render has been delivered (tests, graceful shutdown). */
  idle(): Promise<void>;
  /** Runs currently being rendered by this process (state is dropped when a run ends). */
  readonly activeRuns: number;
  /** Slack DMs for approvers of runs requested on another platform. */
  readonly outreach: ApproverOutreach;
}

/**
 * The Slack channel: Bolt 5 on the product's HttpApp (or Socket Mode), translating Slack events into
 * gateway Turns, RunEvents into thread messages, and button clicks into ApprovalDecider calls.
 */
export function createSlackChannel(deps: SlackChannelDeps): SlackChannel {
  const { settings, logger } = deps;
  const log = logger.child({ component: 'slack' });
  const slackLogger = toSlackLogger(log);
  const clientOptions = slackClientOptions(settings, log);
  const clients = clientProvider(deps, clientOptions);
  const tenantFor = tenantResolver(deps, clients);
  const directory = new SlackDirectory({ clients, kv: deps.kv, logger: log, tenantFor, ttlMs: settings.profileCacheTtlMs });
  const approvalMessages = new ApprovalMessages({
    kv: deps.kv,
    logger: log,
    profileTtlMs: settings.profileCacheTtlMs,
    ...(deps.findSlackUser ? { findSlackUser: deps.findSlackUser } : {}),
  });
  const renderer = new SlackProgressRenderer({
    clients,
    kv: deps.kv,
    logger: log,
    approvals: approvalMessages,
    minEditIntervalMs: settings.minEditIntervalMs,
    minStreamIntervalMs: settings.minStreamIntervalMs,
    ...(deps.eventLog ? { log: deps.eventLog } : {}),
    ...(deps.catchUpIntervalMs !== undefined ? { catchUpIntervalMs: deps.catchUpIntervalMs } : {}),
    ...(deps.elsewhere ? { elsewhere: deps.elsewhere } : {}),
  });
  // Single workspace: its one token needs no team. Multi-workspace: the tenant's configured workspace.
  const singleTenant = settings.mode === 'multi' ? undefined : (settings.tenantId ?? deps.defaultTenantId);
  const outreach = slackApproverOutreach({
    messages: approvalMessages,
    clients,
    workspaceOf: (tenantId) => (settings.mode === 'multi' ? (deps.workspaceOf?.(tenantId) ?? null) : singleTenant === undefined || singleTenant === tenantId ? { teamId: '' } : null),
  });

  const app = buildApp(deps, slackLogger, clientOptions);
  app.error(async (error) => {
    log.error({ err: error }, 'slack listener failed');
  });
  registerMessageHandlers(app, {
    gateway: deps.gateway,
    kv: deps.kv,
    logger: log,
    tenantFor,
    now: deps.now ?? (() => new Date()),
    onAccepted: (address, client) => firstProgress(address, client),
  });
  registerHomeHandlers(app, log);
  if (deps.onUninstalled) {
    const singleWorkspaceTenantId = settings.mode === 'multi' ? undefined : (settings.tenantId ?? deps.defaultTenantId);
    registerUninstallHandlers(app, { tenantFor, onUninstalled: deps.onUninstalled, ...(singleWorkspaceTenantId ? { singleWorkspaceTenantId } : {}), logger: log });
  }
  registerApprovalActions(app, { approvals: deps.approvals, messages: approvalMessages, identity: deps.identity, tenantFor, logger: log });

  let unsubscribe: (() => Promise<void>) | undefined;
  let oauthMounted = false;
  return {
    outreach,
    directory,
    async start() {
      await app.init();
      if (settings.mode === 'multi' && !oauthMounted) {
        mountOAuthRoutes(deps.http, settings, deps.installationStore as InstallationStore, clientOptions, slackLogger, log);
        oauthMounted = true;
      }
      await app.start();
      unsubscribe ??= await deps.events.subscribe((event) => renderer.handle(event));
      // Subscribed first, then caught up: whatever was stored while nobody listened is rendered now.
      await renderer.start();
      log.info({ mode: settings.mode }, 'slack channel started');
    },
    async stop() {
      await unsubscribe?.();
      unsubscribe = undefined;
      renderer.close();
      await app.stop();
    },
    idle: () => renderer.idle(),
    get activeRuns() {
      return renderer.activeRuns;
    },
  };
}

function buildApp(deps: SlackChannelDeps, slackLogger: ReturnType<typeof toSlackLogger>, clientOptions: AppOptions['clientOptions']): BoltApp {
  const { settings } = deps;
  const common: AppOptions = { logger: slackLogger, clientOptions, deferInitialization: true, ignoreSelf: true };
  if (settings.mode === 'socket') {
    const receiver = new SlackSocketModeReceiver({ appToken: settings.appToken as string, slackLogger, ...(settings.apiUrl ? { apiUrl: settings.apiUrl } : {}) });
    return new App({ ...common, socketMode: true, receiver, token: settings.botToken });
  }
  const receiver = new HttpAppReceiver({ http: deps.http, path: '/slack/events', signingSecret: settings.signingSecret as string, logger: deps.logger, slackLogger });
  if (settings.mode === 'single') return new App({ ...common, receiver, token: settings.botToken });
  const store = deps.installationStore;
  if (!store) throw new ConfigError('multi-workspace Slack needs an installation store');
  return new App({
    ...common,
    receiver,
    authorize: async (source) => {
      const installation = await store.fetchInstallation({ teamId: source.teamId, enterpriseId: source.enterpriseId, isEnterpriseInstall: source.isEnterpriseInstall });
      return {
        botToken: installation.bot?.token,
        botId: installation.bot?.id,
        botUserId: installation.bot?.userId,
        teamId: source.teamId,
        enterpriseId: source.enterpriseId,
      };
    },
  });
}

function clientProvider(deps: SlackChannelDeps, options: ReturnType<typeof slackClientOptions>): SlackClientProvider {
  if (deps.settings.mode === 'multi') return installationClients(deps.installationStore as InstallationStore, options);
  return singleTokenClients(deps.settings.botToken as string, options);
}

/**
 * Configured mapping first; a single-workspace install otherwise belongs to the default tenant, but
 * only for its own workspace (or Grid org): people from other organisations can click buttons and
 * write in Slack Connect channels, and they are never this tenant's employees.
 */
function tenantResolver(deps: SlackChannelDeps, clients: SlackClientProvider): (teamId: string, enterpriseId: string | undefined) => Promise<string | null> {
  const fallback = deps.settings.mode === 'multi' ? undefined : (deps.settings.tenantId ?? deps.defaultTenantId);
  const store = deps.installationStore;
  const installedTenant = store && 'tenantOf' in store && typeof store.tenantOf === 'function' ? (store.tenantOf as (teamId: string, enterpriseId: string | undefined) => Promise<string | null>).bind(store) : undefined;
  let home: Promise<{ teamId?: string; enterpriseId?: string }> | undefined;
  const homeWorkspace = (): Promise<{ teamId?: string; enterpriseId?: string }> => {
    home ??= clients.forWorkspace('').then(async (client) => {
      const identity = await client.auth.test();
      return { ...(identity.team_id ? { teamId: identity.team_id } : {}), ...(identity.enterprise_id ? { enterpriseId: identity.enterprise_id } : {}) };
    }).catch((error: unknown) => {
      home = undefined;
      throw error;
    });
    return home;
  };
  const isHome = async (teamId: string, enterpriseId: string | undefined): Promise<boolean> => {
    const workspace = await homeWorkspace();
    return teamId === workspace.teamId || (workspace.enterpriseId !== undefined && (enterpriseId === workspace.enterpriseId || teamId === workspace.enterpriseId));
  };
  return async (teamId, enterpriseId) => {
    const configured = await deps.tenantLookup(teamId, enterpriseId);
    if (configured) return configured;
    if (fallback) return (await isHome(teamId, enterpriseId)) ? fallback : null;
    return deps.settings.mode === 'multi' && installedTenant ? installedTenant(teamId, enterpriseId) : null;
  };
}

/** The employee sees the agent is on it within moments of writing (status line in agent DMs). */
async function firstProgress(address: SlackAddress, client: WebClient): Promise<void> {
  if (address.mode !== 'stream') return;
  await client.assistant.threads.setStatus({ channel_id: address.channel, thread_ts: address.threadTs, status: 'is working on it…' });
}
