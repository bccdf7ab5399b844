import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { TenantConfig } from '../config/tenantConfig.js';
import type { Logger } from '../core/logger.js';
import { userMessageOf } from '../core/errors.js';
import { sendJson, type HttpApp } from '../http/httpApp.js';
import { queryOf, sendError, validate } from '../channels/web/http.js';
import { loadAssets, sendAsset, staticDir, type StaticAsset } from '../channels/web/staticAssets.js';
import { csrfRefusal } from '../auth/csrf.js';
import type { Sessions, SignedInPerson } from '../auth/sessions.js';
import { OpsQueries } from './opsQueries.js';
import { loadRunTimeline } from './runTimeline.js';
import { usageSeries } from './usageCharts.js';
import { chartAssets } from './chartAssets.js';

export interface OpsRoutesOptions {
  readonly prisma: PrismaClient;
  readonly logger: Logger;
  /** The sign-in sessions (src/auth): the view needs one with the admin role. */
  readonly sessions: Sessions;
  /** Origin checks for state-changing requests. */
  readonly publicUrl: string;
  readonly tenants: (tenantId: string) => TenantConfig | undefined;
  /** Re-enqueues a dead-lettered run (the runtime's replayDeadLetter); false when unknown or already replayed. */
  readonly replayDeadLetter: (tenantId: string, id: string) => Promise<boolean>;
  readonly now?: () => Date;
}

const uuidSchema = z.string().uuid('not a valid id');
const runsQuerySchema = z.object({
  status: z.enum(['queued', 'planning', 'executing', 'awaiting_approval', 'awaiting_link', 'responding', 'completed', 'failed', 'cancelled', 'budget_exceeded']).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
  /** nextCursor of the previous page: `<createdAt ISO>_<run id>`. */
  cursor: z.string().regex(/^\d{4}-\d\d-\d\dT[\d:.]+Z_[0-9a-f-]{36}$/, 'not a page cursor from this view').optional(),
});
const usageDailyQuerySchema = z.object({ days: z.coerce.number().int().min(1).max(92).default(14) });
const approvalsQuerySchema = z.object({ status: z.enum(['pending', 'decided']).default('pending') });

/** The admin role that may sign in to a tenant's operations view. */
export const OPS_ADMIN_ROLE = 'admin';

/**
 * The operations view for tenant admins under /ops. Sign-in is /auth's (SSO with the tenant's IdP or
 * its break-glass account); the session fixes the tenant, every data route reads only that tenant's
 * rows, and a state-changing request also needs the session's CSRF token from a same-origin page.
 */
export async function mountOpsRoutes(http: HttpApp, options: OpsRoutesOptions): Promise<void> {
  const { sessions } = options;
  const queries = new OpsQueries(options.prisma);
  const log = options.logger.child({ component: 'ops' });
  const now = options.now ?? (() => new Date());
  const assets: Map<string, StaticAsset> = await loadAssets(staticDir(import.meta.url), ['ops.html', 'ops.js', 'ops.css', 'timeline.js', 'charts.js']);
  for (const [name, asset] of await chartAssets()) assets.set(name, asset);

  const page = (name: string) => (_req: IncomingMessage, res: ServerResponse): void => sendAsset(res, assets.get(name)!);
  /** Wraps a data route: no session, no data. */
  const authed = (handler: (req: IncomingMessage, res: ServerResponse, session: SignedInPerson, params: Readonly<Record<string, string>>) => Promise<void>) =>
    async (req: IncomingMessage, res: ServerResponse, params: Readonly<Record<string, string>>): Promise<void> => {
      const session = await sessions.find(req);
      if (!session) return sendError(res, 401, 'unauthenticated', 'Please sign in to the operations view.');
      if (!session.roles.includes(OPS_ADMIN_ROLE)) return sendError(res, 403, 'not_admin', `You are signed in as ${session.email}, who is not an administrator of this workspace.`);
      if (req.method !== 'GET') {
        const refusal = csrfRefusal(req, session, options.publicUrl);
        if (refusal) return sendError(res, 403, 'csrf', refusal);
      }
      res.setHeader('cache-control', 'no-store');
      await handler(req, res, session, params);
    };

  http.route('GET', '/ops', page('ops.html'));
  http.route('GET', '/ops/static/ops.js', page('ops.js'));
  http.route('GET', '/ops/static/ops.css', page('ops.css'));
  http.route('GET', '/ops/static/timeline.js', page('timeline.js'));
  http.route('GET', '/ops/static/charts.js', page('charts.js'));
  http.route('GET', '/ops/static/uplot.js', page('uplot.js'));
  http.route('GET', '/ops/static/uplot.css', page('uplot.css'));

  http.route('GET', '/ops/api/me', authed(async (_req, res, session) => {
    const tenant = options.tenants(session.tenantId);
    sendJson(res, 200, { ...session, tenantName: tenant?.name ?? session.tenantId });
  }));

  http.route('GET', '/ops/api/runs', authed(async (req, res, session) => {
    const query = validate(res, runsQuerySchema, queryOf(req));
    if (!query) return;
    const cursor = query.cursor ? { createdAt: new Date(query.cursor.slice(0, query.cursor.indexOf('_'))), id: query.cursor.slice(query.cursor.indexOf('_') + 1) } : undefined;
    if (cursor && Number.isNaN(cursor.createdAt.getTime())) return sendError(res, 400, 'invalid_request', 'That page cursor is not valid; reload the first page.');
    sendJson(res, 200, await queries.runs(session.tenantId, { ...(query.status ? { status: query.status } : {}), ...(query.limit ? { limit: query.limit } : {}), ...(cursor ? { cursor } : {}) }));
  }));

  http.route('GET', '/ops/api/runs/:runId', authed(async (_req, res, session, params) => {
    const runId = validate(res, uuidSchema, params.runId);
    if (!runId) return;
    const detail = await queries.run(session.tenantId, runId);
    if (!detail) return sendError(res, 404, 'not_found', 'No such run in this workspace.');
    sendJson(res, 200, detail);
  }));

  http.route('GET', '/ops/api/runs/:runId/timeline', authed(async (_req, res, session, params) => {
    const runId = validate(res, uuidSchema, params.runId);
    if (!runId) return;
    const timeline = await loadRunTimeline(options.prisma, session.tenantId, runId);
    if (!timeline) return sendError(res, 404, 'not_found', 'No such run in this workspace.');
    sendJson(res, 200, timeline);
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

  http.route('GET', '/ops/api/usage/daily', authed(async (req, res, session) => {
    const query = validate(res, usageDailyQuerySchema, queryOf(req));
    if (!query) return;
    const budgets = options.tenants(session.tenantId)?.budgets ?? { perRequest: {}, perUserDay: {}, perTenantDay: {} };
    sendJson(res, 200, await usageSeries(options.prisma, session.tenantId, { days: query.days, now: now(), caps: { perTenantDay: budgets.perTenantDay, perUserDay: budgets.perUserDay } }));
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
