import { AuthType, CloudAdapter, type AuthConfiguration } from '@microsoft/agents-hosting';
import type { Logger } from '../../core/logger.js';
import type { TeamsSettings } from './settings.js';

/** The SDK's auth configuration for our settings; anonymous mode passes none (no JWT check, no outbound token). */
export function authConfiguration(settings: TeamsSettings): AuthConfiguration {
  const auth = settings.auth;
  if (auth.mode === 'anonymous') return {};
  const common = {
    clientId: auth.appId,
    ...(auth.tenantId ? { tenantId: auth.tenantId } : {}),
    ...(auth.authority ? { authorityEndpoint: auth.authority } : {}),
  };
  if (auth.appType === 'UserAssignedMSI') return { ...common, authType: AuthType.UserManagedIdentity };
  return { ...common, authType: AuthType.ClientSecret, ...(auth.password ? { clientSecret: auth.password } : {}) };
}

/**
 * One CloudAdapter per channel. Turn errors are logged here and never echoed to the chat: the
 * SDK's default handler would post "fix the source code" to employees.
 */
export function createCloudAdapter(settings: TeamsSettings, logger: Logger): CloudAdapter {
  const adapter = new CloudAdapter(authConfiguration(settings));
  adapter.onTurnError = async (_context, error) => {
    logger.error({ err: { message: error.message, name: error.name } }, 'teams turn failed');
  };
  return adapter;
}

/** Who proactive sends act as: the bot's app id, or an identity without audience in anonymous mode. */
export type BotIdentity = Parameters<CloudAdapter['continueConversation']>[0];

export function proactiveIdentity(settings: TeamsSettings): BotIdentity {
  return settings.auth.mode === 'credentials' ? settings.auth.appId : { name: 'anonymous' };
}
