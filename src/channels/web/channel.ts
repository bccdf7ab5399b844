import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PrismaClient } from '../../generated/prisma/client.js';
import type { Gateway, PlatformDirectory, SubmitResult } from '../../gateway/gateway.js';
import type { RunEventBus } from '../../events/eventBus.js';
import type { RunEvent } from '../../events/runEvent.js';
import type { ApprovalDecider } from '../../engine/approvalDecider.js';
import type { Logger } from '../../core/logger.js';
import { userMessageOf } from '../../core/errors.js';
import { sendJson, type HttpApp } from '../../http/httpApp.js';
import { pendingApprovalsFor } from './approvalInbox.js';
import { EventStreams } from './eventStreams.js';
import { mountDelegationRoutes } from './delegationRoutes.js';
import { ApprovalDelegations } from '../../engine/approvals/delegations.js';
import { PrismaRunEventLog } from '../../events/runEventLog.js';
import { WebIdentity, type SignedInLookup } from './identity.js';
import { queryOf, readJson, sendError, validate } from './http.js';
import { WEB_TEAM_ID, WebPeople, type WebPerson } from './people.js';
import { MAX_BODY_BYTES, cancelSchema, decideSchema, sendMessageSchema, startLinkSchema, threadIdSchema, userQuerySchema } from './schemas.js';
import { loadAssets, sendAsset, staticDir, type StaticAsset } from './staticAssets.js';
import { threadHistory, webConversationId } from './threadHistory.js';

export interface WebConnectorInfo {
  readonly id: string;
  readonly displayName: string;
}

export interface WebChannelDeps {
  readonly gateway: Gateway;
  readonly events: RunEventBus;
  readonly approvals: ApprovalDecider;
  readonly prisma: PrismaClient;
  /** The tenant whose users the playground lets you act as. */
  readonly tenantId: string;
  readonly http: HttpApp;
  readonly logger: Logger;
  /** The tenant's connectors, for the "connect your account" buttons. */
  readonly connectors: readonly WebConnectorInfo[];
  /** Starts the OAuth link flow (AccountLinkingService.startLink); the browser opens the URL. */
  readonly startLink: (input: { tenantId: string; userId: string; connectorId: string }) => Promise<{ url: string }>;
  /**
   * Deployed posture: act only as the person this finds signed in (never a userId from the
   * request). Absent in the embedded demo, where the page picks any person of the tenant.
   */
  readonly signedIn?: SignedInLookup;
  readonly now?: () => Date;
}

export interface WebChannel {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** For the gateway: web identity → email. */
  readonly directory: PlatformDirectory;
  /** Open event streams (tests, shutdown). */
  readonly openStreams: number;
}

const ASSETS = ['index.html', 'app.js', 'app.css'] as const;

const REFUSAL_STATUS: Record<Extract<SubmitResult, { status: 'refused' }>['code'], number> = {
  invalid_input: 400,
  unknown_user: 403,
  unknown_tenant: 404,
  rate_limited: 429,
  budget_exceeded: 429,
};

/**
 * The web playground: a channel adapter like Slack and Teams. Messages go to the same Gateway,
 * progress comes from the same RunEventBus, approvals go to the same ApprovalDecider; the only
 * playground-specific part is that you pick which tenant user you are.
 */
export function createWebChannel(deps: WebChannelDeps): WebChannel {
  const log = deps.logger.child({ component: 'web' });
  const people = new WebPeople(deps.prisma, deps.tenantId);
  const identity = new WebIdentity(people, deps.tenantId, deps.signedIn);
  const streams = new EventStreams(undefined, (tenantId, runId, afterSeq) => new PrismaRunEventLog(deps.prisma).eventsSince(tenantId, runId, afterSeq));
  const now = deps.now ?? (() => new Date());
  let assets: Map<string, StaticAsset> | undefined;
  let unsubscribe: (() => Promise<void>) | undefined;

  const threadOf = (event: RunEvent): { userId: string; threadId: string } | null => {
    if (event.tenantId !== deps.tenantId || event.reply.channel !== 'web') return null;
    const { userId, threadId } = event.reply.address;
    return typeof userId === 'string' && typeof threadId === 'string' ? { userId, threadId } : null;
  };

  /** Resolves the acting person or answers 401/403; every endpoint acts as a user of this tenant only. */
  const actor = (req: IncomingMessage, res: ServerResponse, userId: string, kind: 'read' | 'write' = 'read'): Promise<WebPerson | undefined> => identity.actor(req, res, userId, kind);

  const serve = (name: (typeof ASSETS)[number]) => (_req: IncomingMessage, res: ServerResponse): void => {
    const asset = assets?.get(name);
    if (asset) sendAsset(res, asset);
    else sendError(res, 503, 'starting', 'The playground is still starting.');
  };

  const routes = (http: HttpApp): void => {
    http.route('GET', '/', serve('index.html'));
    http.route('GET', '/static/app.js', serve('app.js'));
    http.route('GET', '/static/app.css', serve('app.css'));

    http.route('GET', '/api/web/people', async (req, res) => {
      const visible = await identity.visiblePeople(req, res);
      if (!visible) return;
      sendJson(res, 200, { tenantId: deps.tenantId, mode: identity.mode, people: visible, connectors: deps.connectors }, { 'cache-control': 'no-store' });
    });

    http.route('GET', '/api/web/connections', async (req, res) => {
      const query = validate(res, userQuerySchema, queryOf(req));
      if (!query || !(await actor(req, res, query.userId))) return;
      const accounts = await deps.prisma.connectorAccount.findMany({ where: { tenantId: deps.tenantId, userId: query.userId }, select: { connectorId: true, status: true } });
      const status = new Map(accounts.map((a) => [a.connectorId, a.status]));
      sendJson(res, 200, { connections: deps.connectors.map((c) => ({ ...c, status: status.get(c.id) ?? 'not_linked' })) });
    });

    http.route('POST', '/api/web/links', async (req, res) => {
      const body = await readJson(req, res, startLinkSchema, 4096);
      if (!body || !(await actor(req, res, body.userId, 'write'))) return;
      if (!deps.connectors.some((c) => c.id === body.connectorId)) return sendError(res, 404, 'unknown_connector', 'That system is not connected to this workspace.');
      try {
        const { url } = await deps.startLink({ tenantId: deps.tenantId, userId: body.userId, connectorId: body.connectorId });
        sendJson(res, 200, { url });
      } catch (error) {
        log.warn({ err: { message: error instanceof Error ? error.message : 'unknown' } }, 'starting an account link failed');
        sendError(res, 400, 'link_failed', userMessageOf(error));
      }
    });

    http.route('POST', '/api/web/messages', async (req, res) => {
      const body = await readJson(req, res, sendMessageSchema, MAX_BODY_BYTES);
      if (!body) return;
      const person = await actor(req, res, body.userId, 'write');
      if (!person) return;
      const conversationId = webConversationId(person.id, body.threadId);
      const result = await deps.gateway.submit({
        channel: 'web',
        deliveryId: `web:${person.id}:${body.clientMessageId}`,
        tenantId: deps.tenantId,
        platformUser: { externalId: person.id, teamId: WEB_TEAM_ID, email: person.email, displayName: person.displayName },
        conversation: { externalId: conversationId, address: { userId: person.id, threadId: body.threadId } },
        text: body.text,
        receivedAt: now().toISOString(),
      });
      if (result.status === 'accepted') return sendJson(res, 202, { status: 'accepted', runId: result.runId });
      if (result.status === 'duplicate') return sendJson(res, 200, { status: 'duplicate' });
      sendError(res, REFUSAL_STATUS[result.code], result.code, result.message);
    });

    http.route('GET', '/api/web/threads/:threadId/events', async (req, res, params) => {
      const query = validate(res, userQuerySchema, queryOf(req));
      if (!query) return;
      const threadId = validate(res, threadIdSchema, params.threadId);
      if (!threadId || !(await actor(req, res, query.userId))) return;
      // Open (and start holding live events) before reading history, so nothing falls in between.
      const stream = streams.open(res, query.userId, threadId);
      stream.replay(await threadHistory(deps.prisma, deps.tenantId, webConversationId(query.userId, threadId)));
    });

    mountDelegationRoutes(http, { tenantId: deps.tenantId, delegations: new ApprovalDelegations(deps.prisma, now), actor });

    http.route('GET', '/api/web/approvals', async (req, res) => {
      const query = validate(res, userQuerySchema, queryOf(req));
      if (!query || !(await actor(req, res, query.userId))) return;
      sendJson(res, 200, { approvals: await pendingApprovalsFor(deps.prisma, deps.tenantId, query.userId, now()) }, { 'cache-control': 'no-store' });
    });

    // The requester withdraws a waiting request; the decider checks that it is theirs.
    http.route('POST', '/api/web/approvals/:approvalId/cancel', async (req, res, params) => {
      const body = await readJson(req, res, cancelSchema, 4096);
      if (!body || !(await actor(req, res, body.userId, 'write'))) return;
      const approvalId = params.approvalId ?? '';
      if (!/^[0-9a-f-]{36}$/i.test(approvalId)) return sendError(res, 404, 'not_found', 'That approval request does not exist.');
      if (!deps.approvals.cancel) return sendError(res, 404, 'not_found', 'Cancelling is not available here.');
      const result = await deps.approvals.cancel({ tenantId: deps.tenantId, approvalId, requesterUserId: body.userId });
      if (result.status === 'cancelled') return sendJson(res, 200, result);
      sendError(res, result.code === 'not_found' || result.code === 'unsupported' ? 404 : result.code === 'not_requester' ? 403 : 409, result.code, result.message);
    });

    http.route('POST', '/api/web/approvals/:approvalId', async (req, res, params) => {
      const body = await readJson(req, res, decideSchema, 4096);
      if (!body || !(await actor(req, res, body.userId, 'write'))) return;
      const approvalId = params.approvalId ?? '';
      if (!/^[0-9a-f-]{36}$/i.test(approvalId)) return sendError(res, 404, 'not_found', 'That approval request does not exist.');
      const result = await deps.approvals.decide({
        tenantId: deps.tenantId,
        approvalId,
        deciderUserId: body.userId,
        decision: body.decision,
        ...(body.comment ? { comment: body.comment } : {}),
      });
      if (result.status === 'decided') return sendJson(res, 200, result);
      sendError(res, result.code === 'not_found' ? 404 : 409, result.code, result.message);
    });
  };

  return {
    directory: people.directory(),
    get openStreams() {
      return streams.size;
    },
    async start() {
      assets = await loadAssets(staticDir(import.meta.url), ASSETS);
      unsubscribe = await deps.events.subscribe((event) => {
        try {
          streams.dispatch(event, threadOf);
        } catch (error) {
          log.warn({ err: { message: error instanceof Error ? error.message : 'unknown' } }, 'web event delivery failed');
        }
      });
      routes(deps.http);
    },
    async stop() {
      await unsubscribe?.();
      unsubscribe = undefined;
      streams.close();
    },
  };
}
