export { createWebChannel, type WebChannel, type WebChannelDeps, type WebConnectorInfo } from './channel.js';
export { WEB_TEAM_ID, WebPeople, type WebPerson } from './people.js';
export { webConversationId } from './threadHistory.js';
export { MAX_BODY_BYTES } from './schemas.js';
