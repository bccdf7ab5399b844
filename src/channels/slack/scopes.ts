/**
 * The single place that lists what the adapter asks of Slack. The manifest test derives the bot scopes
 * and event subscriptions from these tables, so code and manifest cannot drift apart.
 */

/** Web API methods the adapter calls, with the bot scope each needs ('' = no scope). */
export const SLACK_METHOD_SCOPES = {
  'auth.test': '',
  'chat.postMessage': 'chat:write',
  'chat.update': 'chat:write',
  'chat.postEphemeral': 'chat:write',
  'chat.startStream': 'chat:write',
  'chat.appendStream': 'chat:write',
  'chat.stopStream': 'chat:write',
  'assistant.threads.setStatus': 'assistant:write',
  'assistant.threads.setSuggestedPrompts': 'assistant:write',
  'users.info': 'users:read',
  'users.lookupByEmail': 'users:read.email',
  'views.publish': '',
  'oauth.v2.access': '',
} as const;

export type SlackMethod = keyof typeof SLACK_METHOD_SCOPES;

/** Bot events the adapter subscribes to, with the scope each subscription needs. */
export const SLACK_EVENT_SCOPES = {
  app_mention: 'app_mentions:read',
  'message.im': 'im:history',
  'message.channels': 'channels:history',
  'message.groups': 'groups:history',
  app_home_opened: '',
  assistant_thread_started: 'assistant:write',
  // Both need no scope; they are how an uninstall or revocation reaches us (deprovisioning).
  app_uninstalled: '',
  tokens_revoked: '',
} as const;

export type SlackSubscribedEvent = keyof typeof SLACK_EVENT_SCOPES;

/** users.info only returns profile.email with this scope; the identity match depends on it. */
const IMPLIED_SCOPES = ['users:read.email'] as const;

export function requiredBotScopes(): string[] {
  const scopes = new Set<string>([...Object.values(SLACK_METHOD_SCOPES), ...Object.values(SLACK_EVENT_SCOPES), ...IMPLIED_SCOPES]);
  scopes.delete('');
  return [...scopes].sort();
}

export function subscribedEvents(): string[] {
  return Object.keys(SLACK_EVENT_SCOPES).sort();
}
