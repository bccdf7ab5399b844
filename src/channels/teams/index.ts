export { createTeamsChannel, type TeamsChannel, type TeamsChannelDeps } from './channel.js';
export { teamsSettingsFromEnv, type TeamsSettings, type TeamsSettingsOverrides, type TeamsAuth, type TeamsAppType } from './settings.js';
export { platformIdentityReferenceStore, TEAMS_PLATFORM, type TeamsReferenceStore, type TeamsContact } from './references.js';
export type { TeamsIdentityResolver } from './approvalActions.js';
export type { TeamsTenantLookup } from './tenancy.js';
export { teamsAddressSchema, type TeamsAddress, type StoredReference } from './address.js';
export { pendingCard, decidedCard, ADAPTIVE_CARD_TYPE, type ApprovalCardView } from './approvalCard.js';
