import { randomBytes } from 'node:crypto';
import type { SandboxResponse } from '../../shared/sandboxServer.js';
import type { SandboxApp, SandboxFactor, SandboxGroup, SandboxUser } from './state.js';

/** Okta's error body: `{errorCode, errorSummary, errorLink, errorId, errorCauses}`. */
export function oktaError(status: number, errorCode: string, errorSummary: string, causes: readonly string[] = [], headers: Record<string, string> = {}): SandboxResponse {
  return {
    status,
    headers,
    body: {
      errorCode,
      errorSummary,
      errorLink: errorCode,
      errorId: `oae${randomBytes(12).toString('base64url').slice(0, 19)}`,
      errorCauses: causes.map((errorSummary) => ({ errorSummary })),
    },
  };
}

export const errors = {
  forbidden: (headers: Record<string, string> = {}) => oktaError(403, 'E0000006', 'You do not have permission to perform the requested action', [], headers),
  notFound: (what: string) => oktaError(404, 'E0000007', `Not found: Resource not found: ${what} (${what.split(' ')[0] ?? 'Resource'})`),
  invalidToken: (headers: Record<string, string> = {}) => oktaError(401, 'E0000011', 'Invalid token provided', [], headers),
  wrongStatus: () => oktaError(403, 'E0000038', "This operation is not allowed in the user's current status."),
  validation: (cause: string) => oktaError(400, 'E0000001', `Api validation failed: ${cause}`, [cause]),
  missingParameter: (name: string) => oktaError(400, 'E0000028', 'The request is missing a required parameter.', [`${name}: The request is missing a required parameter.`]),
  rateLimited: (headers: Record<string, string>) => oktaError(429, 'E0000047', 'API call exceeded rate limit due to too many requests.', [], headers),
  serverError: () => oktaError(500, 'E0000009', 'Internal Server Error'),
  notAcceptable: () => oktaError(406, 'E0000065', 'Invalid Accept header. The accept header should contain a version parameter.'),
};

export function userJson(user: SandboxUser, base: string): Record<string, unknown> {
  return {
    id: user.id,
    status: user.status,
    created: user.created,
    activated: user.activated,
    statusChanged: user.statusChanged,
    lastLogin: user.lastLogin,
    lastUpdated: user.lastUpdated,
    passwordChanged: user.passwordChanged,
    type: { id: 'oty1a2b3c4d5e6f7g8h9' },
    profile: { ...user.profile },
    credentials: {
      password: {},
      recovery_question: { question: 'What is the name of your first pet?' },
      provider: { type: 'OKTA', name: 'OKTA' },
    },
    _links: {
      self: { href: `${base}/api/v1/users/${user.id}` },
      ...(user.status === 'LOCKED_OUT' ? { unlock: { href: `${base}/api/v1/users/${user.id}/lifecycle/unlock`, method: 'POST' } } : {}),
      resetPassword: { href: `${base}/api/v1/users/${user.id}/lifecycle/reset_password`, method: 'POST' },
      resetFactors: { href: `${base}/api/v1/users/${user.id}/lifecycle/reset_factors`, method: 'POST' },
    },
  };
}

export function groupJson(group: SandboxGroup, base: string): Record<string, unknown> {
  return {
    id: group.id,
    created: group.created,
    lastUpdated: group.lastUpdated,
    lastMembershipUpdated: group.lastMembershipUpdated,
    objectClass: [group.type === 'APP_GROUP' ? 'okta:windows_security_principal' : 'okta:user_group'],
    type: group.type,
    profile: { name: group.name, description: group.description },
    _links: {
      logo: [{ name: 'medium', href: `${base}/assets/img/logos/groups/okta-medium.png`, type: 'image/png' }],
      users: { href: `${base}/api/v1/groups/${group.id}/users` },
      apps: { href: `${base}/api/v1/groups/${group.id}/apps` },
    },
  };
}

export function appJson(app: SandboxApp, base: string): Record<string, unknown> {
  const common = {
    id: app.id,
    name: app.name,
    label: app.label,
    status: 'ACTIVE',
    created: app.created,
    lastUpdated: app.created,
    signOnMode: app.signOnMode,
    accessibility: { selfService: false },
    visibility: { autoSubmitToolbar: false, hide: { iOS: false, web: false }, appLinks: { login: true } },
    features: [],
    _links: {
      users: { href: `${base}/api/v1/apps/${app.id}/users` },
      groups: { href: `${base}/api/v1/apps/${app.id}/groups` },
      logo: [{ name: 'medium', href: `${base}/assets/img/logos/${app.name}.png`, type: 'image/png' }],
    },
  };
  if (app.signOnMode === 'BOOKMARK') {
    return { ...common, settings: { app: { url: `https://www.githubstatus.com/`, requestIntegration: false } } };
  }
  return { ...common, settings: { app: {} }, credentials: { userNameTemplate: { template: '${source.login}', type: 'BUILT_IN' }, signing: {} } };
}

export function appLinkJson(entry: { app: SandboxApp; assignmentId: string }, userId: string, base: string, sortOrder: number): Record<string, unknown> {
  return {
    id: `00ub0oNGTSWTBKOLGLNR${sortOrder}`.slice(0, 20),
    label: entry.app.label,
    linkUrl: `${base}/home/${entry.app.name}/${entry.app.id}/${userId.slice(-4)}`,
    logoUrl: `${base}/assets/img/logos/${entry.app.name}.png`,
    appName: entry.app.name,
    appInstanceId: entry.app.id,
    appAssignmentId: entry.assignmentId,
    credentialsSetup: false,
    hidden: false,
    sortOrder,
  };
}

export function appUserJson(entry: { app: SandboxApp; scope: 'USER' | 'GROUP'; created: string }, user: SandboxUser, base: string): Record<string, unknown> {
  return {
    id: user.id,
    created: entry.created,
    lastUpdated: entry.created,
    scope: entry.scope,
    status: 'ACTIVE',
    statusChanged: entry.created,
    syncState: 'DISABLED',
    credentials: { userName: user.profile.login },
    profile: {},
    _links: {
      app: { href: `${base}/api/v1/apps/${entry.app.id}` },
      user: { href: `${base}/api/v1/users/${user.id}` },
    },
  };
}

export function factorJson(factor: SandboxFactor, userId: string, base: string): Record<string, unknown> {
  return {
    id: factor.id,
    factorType: factor.factorType,
    provider: factor.provider,
    vendorName: factor.provider === 'GOOGLE' ? 'GOOGLE' : factor.vendorName,
    status: 'ACTIVE',
    created: factor.created,
    lastUpdated: factor.created,
    profile: factor.profile,
    _links: {
      self: { href: `${base}/api/v1/users/${userId}/factors/${factor.id}`, hints: { allow: ['GET', 'DELETE'] } },
      user: { href: `${base}/api/v1/users/${userId}`, hints: { allow: ['GET'] } },
    },
  };
}
