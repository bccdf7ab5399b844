import type { SandboxRequest, SandboxResponse, SandboxServer } from '../../shared/sandboxServer.js';
import { api, checkAdmin, checkUserRead, page, type Principal, type SandboxContext } from './context.js';
import { appLinkJson, errors, factorJson, userJson } from './responses.js';
import type { SandboxUser, UserStatus } from './state.js';

/** Lifecycle operations: allowed source statuses, target status, and what Okta answers. */
const LIFECYCLE: Record<string, { from: readonly UserStatus[]; to?: UserStatus; event: string; badStatus: 'E0000038' | 'E0000001' }> = {
  reset_password: { from: ['ACTIVE', 'LOCKED_OUT', 'PASSWORD_EXPIRED', 'RECOVERY'], to: 'RECOVERY', event: 'user.account.reset_password', badStatus: 'E0000038' },
  unlock: { from: ['LOCKED_OUT'], to: 'ACTIVE', event: 'user.account.unlock', badStatus: 'E0000038' },
  reset_factors: { from: ['ACTIVE', 'LOCKED_OUT', 'PASSWORD_EXPIRED', 'RECOVERY', 'PROVISIONED', 'SUSPENDED'], event: 'user.mfa.factor.reset_all', badStatus: 'E0000038' },
  suspend: { from: ['ACTIVE'], to: 'SUSPENDED', event: 'user.lifecycle.suspend', badStatus: 'E0000001' },
  unsuspend: { from: ['SUSPENDED'], to: 'ACTIVE', event: 'user.lifecycle.unsuspend', badStatus: 'E0000001' },
  expire_password: { from: ['ACTIVE', 'LOCKED_OUT', 'RECOVERY'], to: 'PASSWORD_EXPIRED', event: 'user.password.expire', badStatus: 'E0000038' },
  deactivate: { from: ['STAGED', 'PROVISIONED', 'ACTIVE', 'RECOVERY', 'LOCKED_OUT', 'PASSWORD_EXPIRED', 'SUSPENDED'], to: 'DEPROVISIONED', event: 'user.lifecycle.deactivate', badStatus: 'E0000001' },
};

export function registerUserRoutes(server: SandboxServer, ctx: SandboxContext): void {
  const target = (principal: Principal, ref: string): SandboxUser | undefined => (ref === 'me' ? principal.user : ctx.state.resolveUser(ref));

  const readable = (req: SandboxRequest, principal: Principal, key: string, then: (user: SandboxUser) => SandboxResponse): SandboxResponse => {
    const ref = req.params[key] ?? '';
    const user = target(principal, ref);
    if (!user) {
      // Okta answers 404 only to callers who could have read the user; others learn nothing.
      return principal.kind === 'ssws' || principal.user.admin ? errors.notFound(`User (${ref})`) : errors.forbidden();
    }
    return checkUserRead(ctx, principal, user) ?? then(user);
  };

  server.route('GET', '/api/v1/users', api(ctx, 'GET /api/v1/users', (req, principal) => {
    const denied = checkAdmin(ctx, principal, 'okta.users.read');
    if (denied) return denied;
    const q = req.query.get('q')?.toLowerCase();
    const search = /^profile\.(email|login) eq "(.+)"$/.exec(req.query.get('search') ?? '');
    const users = [...ctx.state.users.values()].filter((u) => {
      if (search) return u.profile[search[1] as 'email' | 'login'].toLowerCase() === (search[2] ?? '').toLowerCase();
      if (u.status === 'DEPROVISIONED') return false;
      return !q || [u.profile.firstName, u.profile.lastName, u.profile.email].some((v) => v.toLowerCase().startsWith(q));
    });
    const paged = page(ctx, req, users, (u) => u.id, q ? 10 : 200);
    return { status: 200, headers: paged.headers, body: paged.items.map((u) => userJson(u, ctx.base())) };
  }));

  server.route('GET', '/api/v1/users/:id', api(ctx, 'GET /api/v1/users/{id}', (req, principal) =>
    readable(req, principal, 'id', (user) => ({ status: 200, body: userJson(user, ctx.base()) }))));

  server.route('GET', '/api/v1/users/:id/groups', api(ctx, 'GET /api/v1/users/{id}/groups', (req, principal) =>
    readable(req, principal, 'id', (user) => {
      const paged = page(ctx, req, ctx.state.groupsOf(user.id), (g) => g.id, 10_000);
      return { status: 200, headers: paged.headers, body: paged.items.map((g) => ({ id: g.id, created: g.created, lastUpdated: g.lastUpdated, lastMembershipUpdated: g.lastMembershipUpdated, objectClass: ['okta:user_group'], type: g.type, profile: { name: g.name, description: g.description } })) };
    })));

  server.route('GET', '/api/v1/users/:id/appLinks', api(ctx, 'GET /api/v1/users/{id}/appLinks', (req, principal) =>
    readable(req, principal, 'id', (user) => ({
      status: 200,
      body: ctx.state.appsOf(user.id).map((entry, index) => appLinkJson(entry, user.id, ctx.base(), index)),
    }))));

  server.route('GET', '/api/v1/users/:id/factors', api(ctx, 'GET /api/v1/users/{userId}/factors', (req, principal) =>
    readable(req, principal, 'id', (user) => ({
      status: 200,
      body: (ctx.state.factors.get(user.id) ?? []).map((f) => factorJson(f, user.id, ctx.base())),
    }))));

  server.route('POST', '/api/v1/users/:id/lifecycle/:operation', api(ctx, 'POST /api/v1/users/{id}/lifecycle', (req, principal) => {
    const rule = LIFECYCLE[req.params['operation'] ?? ''];
    if (!rule) return errors.notFound(`Resource (${req.path})`);
    const denied = checkAdmin(ctx, principal, 'okta.users.manage');
    if (denied) return denied;
    const ref = req.params['id'] ?? '';
    const user = target(principal, ref);
    if (!user) return errors.notFound(`User (${ref})`);
    if (req.params['operation'] === 'reset_password' && req.query.get('sendEmail') === null) return errors.missingParameter('sendEmail');
    if (!rule.from.includes(user.status)) {
      return rule.badStatus === 'E0000038' ? errors.wrongStatus() : errors.validation(`Cannot ${req.params['operation']} a user that is ${user.status}`);
    }
    const now = ctx.now().toISOString();
    if (rule.to && rule.to !== user.status) {
      user.status = rule.to;
      user.statusChanged = now;
    }
    user.lastUpdated = now;
    if (req.params['operation'] === 'reset_factors') ctx.state.factors.set(user.id, []);
    ctx.state.record(rule.event, user.id, principal.user.id, ctx.now());
    if (rule.to) ctx.onDirectoryChange?.();
    if (req.params['operation'] === 'reset_password') {
      if (req.query.get('sendEmail') === 'true') {
        ctx.state.record('system.email.password_reset.sent_message', user.id, principal.user.id, ctx.now());
        return { status: 200, body: {} };
      }
      return { status: 200, body: { resetPasswordUrl: `${ctx.base()}/signin/reset-password/${ctx.newSecret().slice(0, 20)}` } };
    }
    if (req.params['operation'] === 'expire_password') return { status: 200, body: userJson(user, ctx.base()) };
    return { status: 200 };
  }));
}
