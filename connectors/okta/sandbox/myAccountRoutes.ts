import type { SandboxServer } from '../../shared/sandboxServer.js';
import { api, insufficientScope, type SandboxContext } from './context.js';
import { errors } from './responses.js';

const VERSIONED = 'application/json;okta-version=1.0.0';

/** MyAccount (`/idp/myaccount/*`): end-user tokens only, no user id in the path, versioned Accept header. */
export function registerMyAccountRoutes(server: SandboxServer, ctx: SandboxContext): void {
  const versioned = (accept: string | undefined): boolean => /okta-version=1\.0\.0/.test((accept ?? '').replace(/\s+/g, ''));

  server.route('GET', '/idp/myaccount/profile', api(ctx, 'GET /idp/myaccount/profile', (req, principal) => {
    if (!versioned(req.headers.accept)) return errors.notAcceptable();
    if (principal.kind !== 'oauth') return errors.forbidden();
    if (!principal.scopes.has('okta.myAccount.profile.read') && !principal.scopes.has('okta.myAccount.profile.manage')) return insufficientScope(ctx, 'okta.myAccount.profile.read');
    const user = principal.user;
    return {
      status: 200,
      headers: { 'content-type': VERSIONED },
      body: {
        createdAt: user.created,
        modifiedAt: user.lastUpdated,
        profile: { ...user.profile },
        _links: { self: { href: `${ctx.base()}/idp/myaccount/profile` }, describedBy: { href: `${ctx.base()}/idp/myaccount/profile/schema` } },
      },
    };
  }));

  server.route('GET', '/idp/myaccount/okta-applications', api(ctx, 'GET /idp/myaccount/okta-applications', (req, principal) => {
    if (!versioned(req.headers.accept)) return errors.notAcceptable();
    if (principal.kind !== 'oauth') return errors.forbidden();
    if (!principal.scopes.has('okta.myAccount.oktaApplications.read')) return insufficientScope(ctx, 'okta.myAccount.oktaApplications.read');
    return {
      status: 200,
      headers: { 'content-type': VERSIONED },
      body: [
        { id: 'okta.2b1959c8-bcc0-56eb-a589-cfcfb7422f26', name: 'okta_enduser', displayName: 'Okta Dashboard' },
        { id: 'okta.b58d5b75-07d4-5f25-bf59-368a1261a405', name: 'okta_browser_plugin', displayName: 'Okta Browser Plugin' },
      ],
    };
  }));
}
