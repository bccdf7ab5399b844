export { createSlackChannel, type SlackChannel, type SlackChannelDeps, type SlackTenantLookup } from './channel.js';
export { slackSettingsFromEnv, type SlackSettings, type SlackMode, type SlackSettingsOverrides } from './settings.js';
export { SlackDirectory } from './directory.js';
export type { SlackIdentityResolver } from './approvalActions.js';
export { requiredBotScopes, subscribedEvents, SLACK_METHOD_SCOPES, SLACK_EVENT_SCOPES } from './scopes.js';
export { SUGGESTED_PROMPTS, AGENT_DESCRIPTION } from './homeView.js';
export { slackAddressSchema, type SlackAddress } from './address.js';
export { PrismaSlackInstallationStore } from './installationStore.js';
