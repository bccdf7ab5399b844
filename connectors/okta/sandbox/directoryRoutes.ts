import type { SandboxServer } from '../../shared/sandboxServer.js';
import { api, checkAdmin, page, type SandboxContext } from './context.js';
import { appJson, appUserJson, errors, groupJson, userJson } from './responses.js';

/** Groups, memberships, apps and app assignments: all admin operations in Okta. */
export function registerDirectoryRoutes(server: SandboxServer, ctx: SandboxContext): void {
  const { state } = ctx;

  server.route('GET', '/api/v1/groups', api(ctx, 'GET /api/v1/groups', (req, principal) => {
    const denied = checkAdmin(ctx, principal, 'okta.groups.read');
    if (denied) return denied;
    const q = req.query.get('q')?.toLowerCase();
    const search = /^profile\.name eq "(.+)"$/.exec(req.query.get('search') ?? '');
    const groups = [...state.groups.values()].filter((g) =>
      search ? g.name.toLowerCase() === (search[1] ?? '').toLowerCase() : !q || g.name.toLowerCase().startsWith(q));
    const paged = page(ctx, req, groups, (g) => g.id, q ? 300 : 10_000);
    return { status: 200, headers: paged.headers, body: paged.items.map((g) => groupJson(g, ctx.base())) };
  }));

  server.route('GET', '/api/v1/groups/:groupId', api(ctx, 'GET /api/v1/groups/{groupId}', (req, principal) => {
    const denied = checkAdmin(ctx, principal, 'okta.groups.read');
    if (denied) return denied;
    const group = state.groups.get(req.params['groupId'] ?? '');
    return group ? { status: 200, body: groupJson(group, ctx.base()) } : errors.notFound(`UserGroup (${req.params['groupId']})`);
  }));

  server.route('GET', '/api/v1/groups/:groupId/users', api(ctx, 'GET /api/v1/groups/{groupId}/users', (req, principal) => {
    const denied = checkAdmin(ctx, principal, 'okta.groups.read');
    if (denied) return denied;
    const group = state.groups.get(req.params['groupId'] ?? '');
    if (!group) return errors.notFound(`UserGroup (${req.params['groupId']})`);
    const members = [...group.members].map((id) => state.users.get(id)).filter((u) => u !== undefined);
    const paged = page(ctx, req, members, (u) => u.id, 1000);
    return { status: 200, headers: paged.headers, body: paged.items.map((u) => userJson(u, ctx.base())) };
  }));

  for (const method of ['PUT', 'DELETE'] as const) {
    server.route(method, '/api/v1/groups/:groupId/users/:userId', api(ctx, `${method} /api/v1/groups/{groupId}/users/{userId}`, (req, principal) => {
      const denied = checkAdmin(ctx, principal, 'okta.groups.manage');
      if (denied) return denied;
      const group = state.groups.get(req.params['groupId'] ?? '');
      if (!group) return errors.notFound(`UserGroup (${req.params['groupId']})`);
      const user = state.resolveUser(req.params['userId'] ?? '');
      if (!user) return errors.notFound(`User (${req.params['userId']})`);
      if (group.type !== 'OKTA_GROUP') return errors.validation(`Cannot modify the membership of a ${group.type} group.`);
      const present = group.members.has(user.id);
      if (method === 'PUT' && !present) {
        group.members.add(user.id);
        state.record('group.user_membership.add', user.id, principal.user.id, ctx.now());
      } else if (method === 'DELETE' && present) {
        group.members.delete(user.id);
        state.record('group.user_membership.remove', user.id, principal.user.id, ctx.now());
      }
      group.lastMembershipUpdated = ctx.now().toISOString();
      ctx.onDirectoryChange?.();
      return { status: 204 };
    }));
  }

  server.route('GET', '/api/v1/apps', api(ctx, 'GET /api/v1/apps', (req, principal) => {
    const denied = checkAdmin(ctx, principal, 'okta.apps.read');
    if (denied) return denied;
    const q = req.query.get('q')?.toLowerCase();
    const apps = [...state.apps.values()].filter((a) => !q || a.name.toLowerCase().startsWith(q) || a.label.toLowerCase().startsWith(q));
    const paged = page(ctx, req, apps, (a) => a.id, 200);
    return { status: 200, headers: paged.headers, body: paged.items.map((a) => appJson(a, ctx.base())) };
  }));

  server.route('GET', '/api/v1/apps/:appId/users/:userId', api(ctx, 'GET /api/v1/apps/{appId}/users/{userId}', (req, principal) => {
    const denied = checkAdmin(ctx, principal, 'okta.apps.read');
    if (denied) return denied;
    const app = state.apps.get(req.params['appId'] ?? '');
    if (!app) return errors.notFound(`AppInstance (${req.params['appId']})`);
    const user = state.users.get(req.params['userId'] ?? '');
    const entry = user ? state.appsOf(user.id).find((e) => e.app.id === app.id) : undefined;
    if (!user || !entry) return errors.notFound(`AppUser (${req.params['userId']})`);
    return { status: 200, body: appUserJson(entry, user, ctx.base()) };
  }));

  server.route('POST', '/api/v1/apps/:appId/users', api(ctx, 'POST /api/v1/apps/{appId}/users', (req, principal) => {
    const denied = checkAdmin(ctx, principal, 'okta.apps.manage');
    if (denied) return denied;
    const app = state.apps.get(req.params['appId'] ?? '');
    if (!app) return errors.notFound(`AppInstance (${req.params['appId']})`);
    const body = req.body as { id?: unknown; scope?: unknown } | undefined;
    if (typeof body?.id !== 'string') return errors.validation('id: The field cannot be left blank');
    const user = state.users.get(body.id);
    if (!user) return errors.notFound(`User (${body.id})`);
    let direct = app.users.get(user.id);
    if (!direct) {
      // A repeated POST updates the existing assignment; only the first one creates it.
      direct = { assignmentId: ctx.newId('0ua'), created: ctx.now().toISOString() };
      app.users.set(user.id, direct);
      state.record('application.user_membership.add', user.id, principal.user.id, ctx.now());
    }
    return { status: 200, body: appUserJson({ app, scope: 'USER', created: direct.created }, user, ctx.base()) };
  }));
}
