export { mountAuthRoutes, type AuthRoutesOptions } from './authRoutes.js';
export { csrfRefusal, sameOrigin, CSRF_HEADER } from './csrf.js';
export { Sessions, type SignedInPerson, type SignInMethod } from './sessions.js';
export { SignInMethods, SSO_CALLBACK_PATH, signInSummary } from './signInMethods.js';
export { hashPassword, parsePasswordHash, verifyPassword } from './passwordHash.js';
