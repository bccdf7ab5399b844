import { API_PREFIX, API_VERSION } from '../constants.js';
import type { SandboxServer } from '../../shared/sandboxServer.js';
import { sessionUser } from './auth.js';
import { ok, type SandboxContext } from './context.js';
import type { SandboxUser } from './state.js';

/** Version discovery, limits, and who-am-I (OIDC userinfo on both hosts, the identity URL on the login host). */
export function registerIdentityRoutes(login: SandboxServer, instance: SandboxServer, ctx: SandboxContext): void {
  const { state } = ctx;

  instance.route('GET', '/services/data', () => ok(state, 200, [
    { label: "Spring '26", url: '/services/data/v66.0', version: '66.0' },
    { label: "Summer '26", url: '/services/data/v67.0', version: '67.0' },
    { label: "Winter '27", url: API_PREFIX, version: API_VERSION.slice(1) },
  ]));

  instance.route('GET', `${API_PREFIX}/limits`, (req) => {
    if (!sessionUser(ctx, req)) return { status: 401, body: [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }] };
    return ok(state, 200, { DailyApiRequests: { Max: state.dailyApiLimit, Remaining: Math.max(0, state.dailyApiLimit - state.apiUsage) } });
  });

  const userInfo = (user: SandboxUser): Record<string, unknown> => {
    const base = ctx.instanceUrl();
    return {
      sub: `${ctx.loginUrl()}/id/${state.orgId}/${user.id}`,
      user_id: user.id,
      organization_id: state.orgId,
      preferred_username: user.username,
      nickname: user.email.split('@')[0],
      name: `${user.firstName} ${user.lastName}`,
      email: user.email,
      email_verified: true,
      given_name: user.firstName,
      family_name: user.lastName,
      zoneinfo: 'Europe/London',
      user_type: 'STANDARD',
      language: 'en_US',
      locale: 'en_GB',
      is_salesforce_integration_user: false,
      urls: {
        rest: `${base}/services/data/v{version}/`,
        sobjects: `${base}/services/data/v{version}/sobjects/`,
        query: `${base}/services/data/v{version}/query/`,
        profile: `${base}/${user.id}`,
      },
    };
  };
  const unauthorized = { status: 403, text: 'Bad_OAuth_Token', headers: { 'content-type': 'text/plain' } };
  for (const server of [login, instance]) {
    server.route('GET', '/services/oauth2/userinfo', (req) => {
      const user = sessionUser(ctx, req);
      return user ? { status: 200, body: userInfo(user) } : unauthorized;
    });
  }
  login.route('GET', '/id/:orgId/:userId', (req) => {
    const user = sessionUser(ctx, req);
    if (!user || req.params['userId'] !== user.id || req.params['orgId'] !== state.orgId) return unauthorized;
    const info = userInfo(user);
    return { status: 200, body: { id: info['sub'], user_id: user.id, organization_id: state.orgId, username: user.username, email: user.email, display_name: info['name'], active: true, urls: info['urls'] } };
  });
}
