import { WebClient, type WebClientOptions } from '@slack/web-api';
import type { InstallationStore } from '@slack/bolt';
import type { Logger } from '../../core/logger.js';
import type { SlackSettings } from './settings.js';
import { toSlackLogger } from './slackLogger.js';
import { SlackWorkspaceNotInstalledError } from './errors.js';

/** Yields the bot's Web API client for a workspace (or Grid org). */
export interface SlackClientProvider {
  forWorkspace(teamId: string, enterpriseId?: string): Promise<WebClient>;
}

/**
 * Options every client shares. 429s are rejected instead of retried inside the SDK: the renderers
 * own rate limiting (they delay and coalesce the next edit), and a hidden SDK retry would stall them.
 */
export function slackClientOptions(settings: SlackSettings, logger: Logger): WebClientOptions {
  return {
    logger: toSlackLogger(logger),
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 2, factor: 2, minTimeout: 100, maxTimeout: 1000 },
    timeout: 10_000,
    ...(settings.apiUrl ? { slackApiUrl: settings.apiUrl } : {}),
  };
}

/** One workspace, one bot token (single-workspace and Socket Mode). */
export function singleTokenClients(token: string, options: WebClientOptions): SlackClientProvider {
  const client = new WebClient(token, options);
  return { forWorkspace: async () => client };
}

/**
 * Multi-workspace: the bot token comes from the installation store. Clients are kept per token; a
 * WebClient holds no per-run state, only its token and request queue.
 */
export function installationClients(store: InstallationStore, options: WebClientOptions): SlackClientProvider {
  const byToken = new Map<string, WebClient>();
  return {
    async forWorkspace(teamId, enterpriseId) {
      const installation = await store.fetchInstallation({ teamId, enterpriseId, isEnterpriseInstall: false }).catch(() => undefined);
      const token = installation?.bot?.token;
      if (!token) throw new SlackWorkspaceNotInstalledError(enterpriseId ?? teamId);
      let client = byToken.get(token);
      if (!client) {
        client = new WebClient(token, { ...options, ...(installation.isEnterpriseInstall ? { teamId } : {}) });
        byToken.set(token, client);
      }
      return client;
    },
  };
}
