export { mountScimRoutes, SCIM_BASE_PATH, SCIM_BODY_LIMIT, type ScimDeps } from './routes.js';
export { ScimTokens, hashScimToken, mintScimToken } from './tokens.js';
export { accessFor, refreshAccess } from './roleMapping.js';
