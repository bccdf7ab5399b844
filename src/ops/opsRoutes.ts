import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { TenantConfig } from '../config/tenantConfig.js';
import type { KeyValueStore } from '../infra/keyValue.js';
import type { Logger } from '../core/logger.js';
import { userMessageOf } from '../core/errors.js';
import { sendJson, type HttpApp } from '../http/httpApp.js';
import { queryOf, readJson, sendError, validate } from '../channels/web/http.js';
import { loadAssets, sendAsset, staticDir, type StaticAsset } from '../channels/web/staticAssets.js';
import { AdminSessions, passwordMatches, type AdminSession } from './adminSessions.js';
import { OpsQueries } from './opsQueries.js';

export interface OpsRoutesOptions {
  readonly prisma: PrismaClient;
  readonly kv: KeyValueStore;
  readonly logger: Logger;
  /** ADMIN_PASSWORD, or the one generated for a development process. */
  readonly adminPassword: string;
  readonly tenants: (tenantId: string) => TenantConfig | undefined;
  /** Re-enqueues a dead-lettered run (the runtime's replayDeadLetter); false when unknown or already replayed. */
  readonly replayDeadLetter: (tenantId: string, id: string) => Promise<boolean>;
  /** Adds `Secure` to the session cookie (PUBLIC_URL is https). */
  readonly secureCookies: boolean;
  readonly now?: () => Date;
}

const loginSchema = z.object({
  email: z.string().trim().email('enter the email address of a workspace administrator'),
  password: z.string().min(1, 'enter the password').max(500),
});
const uuidSchema = z.string().uuid('not a valid id');
const runsQuerySchema = z.object({
  status: z.enum(['queued', 'planning', 'executing', 'awaiting_approval', 'awaiting_link', 'responding', 'completed', 'failed', 'cancelled', 'budget_exceeded']).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});
const approvalsQuerySchema = z.object({ status: z.enum(['pending', 'decided']).default('pending') });

/** The admin role that may sign in to a tenant's operations view. */
export const OPS_ADMIN_ROLE = 'admin';

/**
 * The operations view for tenant admins under /ops. Signing in needs an admin's email (which fixes
 * the tenant) and the admin password; every data route then reads only that tenant's rows.
 */
export async function mountOpsRoutes(http: HttpApp, options: OpsRoutesOptions): Promise<void> {
  const sessions = new AdminSessions(options.kv);
  const queries = new OpsQueries(options.prisma);
  const log = options.logger.child({ component: 'ops' });
  const now = options.now ?? (() => new Date());
  const assets: Map<string, StaticAsset> = await loadAssets(staticDir(import.meta.url), ['ops.html', 'ops.js', 'ops.css']);

  const page = (name: string) => (_req: IncomingMessage, res: ServerResponse): void => sendAsset(res, assets.get(name)!);
  /** Wraps a data route: no session, no data. */
  const authed = (handler: (req: IncomingMessage, res: ServerResponse, session: AdminSession, params: Readonly<Record<string, string>>) => Promise<void>) =>
    async (req: IncomingMessage, res: ServerResponse, params: Readonly<Record<string, string>>): Promise<void> => {
      const session = await sessions.find(req);
      if (!session) return sendError(res, 401, 'unauthenticated', 'Please sign in to the operations view.');
      res.setHeader('cache-control', 'no-store');
      await handler(req, res, session, params);
    };

  http.route('GET', '/ops', page('ops.html'));
  http.route('GET', '/ops/static/ops.js', page('ops.js'));
  http.route('GET', '/ops/static/ops.css', page('ops.css'));

  http.route('POST', '/ops/login', async (req, res) => {
    const body = await readJson(req, res, loginSchema, 4096);
    if (!body) return;
    const admins = await options.prisma.user.findMany({ where: { email: body.email.toLowerCase(), roles: { has: OPS_ADMIN_ROLE } }, take: 2 });
    // Same answer for a wrong password and an unknown admin, so the form does not reveal who is an admin.
    if (!passwordMatches(body.password, options.adminPassword) || admins.length !== 1) {
      log.warn({ reason: admins.length > 1 ? 'ambiguous_admin' : 'bad_credentials' }, 'operations sign-in refused');
      return sendError(res, 401, 'invalid_credentials', 'That email and password do not match an administrator.');
    }
    const admin = admins[0]!;
    const token = await sessions.create({ tenantId: admin.tenantId, userId: admin.id, email: admin.email });
    await options.prisma.auditLog.create({ data: { tenantId: admin.tenantId, actorUserId: admin.id, action: 'ops.login', targetType: 'user', targetId: admin.id } });
    sendJson(res, 200, { tenantId: admin.tenantId, email: admin.email }, { 'set-cookie': sessions.cookie(token, options.secureCookies) });
  });

  http.route('POST', '/ops/logout', async (req, res) => {
    await sessions.destroy(req);
    sendJson(res, 200, { ok: true }, { 'set-cookie': sessions.clearedCookie(options.secureCookies) });
  });

  http.route('GET', '/ops/api/me', authed(async (_req, res, session) => {
    const tenant = options.tenants(session.tenantId);
    sendJson(res, 200, { ...session, tenantName: tenant?.name ?? session.tenantId });
  }));

  http.route('GET', '/ops/api/runs', authed(async (req, res, session) => {
    const query = validate(res, runsQuerySchema, queryOf(req));
    if (query) sendJson(res, 200, { runs: await queries.runs(session.tenantId, query) });
  }));

  http.route('GET', '/ops/api/runs/:runId', authed(async (_req, res, session, params) => {
    const runId = validate(res, uuidSchema, params.runId);
    if (!runId) return;
    const detail = await queries.run(session.tenantId, runId);
    if (!detail) return sendError(res, 404, 'not_found', 'No such run in this workspace.');
    sendJson(res, 200, detail);
  }));

  http.route('GET', '/ops/api/approvals', authed(async (req, res, session) => {
    const query = validate(res, approvalsQuerySchema, queryOf(req));
    if (query) sendJson(res, 200, { approvals: await queries.approvals(session.tenantId, query.status) });
  }));

  http.route('GET', '/ops/api/audit', authed(async (_req, res, session) => {
    sendJson(res, 200, { entries: await queries.audit(session.tenantId) });
  }));

  http.route('GET', '/ops/api/usage', authed(async (_req, res, session) => {
    const budgets = options.tenants(session.tenantId)?.budgets ?? { perRequest: {}, perUserDay: {}, perTenantDay: {} };
    sendJson(res, 200, await queries.usage(session.tenantId, { perUserDay: budgets.perUserDay, perTenantDay: budgets.perTenantDay }, now()));
  }));

  http.route('GET', '/ops/api/dead-letters', authed(async (_req, res, session) => {
    sendJson(res, 200, { deadLetters: await queries.deadLetters(session.tenantId) });
  }));

  http.route('POST', '/ops/api/dead-letters/:id/replay', authed(async (req, res, session, params) => {
    // JSON-only POST: a cross-site form cannot send it, on top of the SameSite=Strict cookie.
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return sendError(res, 415, 'unsupported_media_type', 'Send the request as JSON.');
    const id = validate(res, uuidSchema, params.id);
    if (!id) return;
    try {
      const replayed = await options.replayDeadLetter(session.tenantId, id);
      if (!replayed) return sendError(res, 404, 'not_found', 'No such dead letter waiting for a replay in this workspace.');
      await options.prisma.auditLog.create({ data: { tenantId: session.tenantId, actorUserId: session.userId, action: 'dead_letter.replayed', targetType: 'dead_letter', targetId: id } });
      sendJson(res, 200, { replayed: true });
    } catch (error) {
      log.error({ err: { message: error instanceof Error ? error.message : 'unknown' } }, 'dead letter replay failed');
      sendError(res, 500, 'replay_failed', userMessageOf(error));
    }
  }));
}
