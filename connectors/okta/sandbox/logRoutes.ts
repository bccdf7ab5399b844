import { createHash } from 'node:crypto';
import type { SandboxServer } from '../../shared/sandboxServer.js';
import { api, checkAdmin, type SandboxContext } from './context.js';
import { errors } from './responses.js';
import type { SandboxEvent, SandboxUser } from './state.js';

/** What the System Log says for the event types the sandbox records. */
const DISPLAY: Record<string, string> = {
  'user.account.reset_password': 'Reset password for user',
  'user.account.unlock': 'Unlock user account',
  'user.mfa.factor.reset_all': 'Reset all factors for user',
  'user.lifecycle.suspend': 'Suspend OKTA user',
  'user.lifecycle.unsuspend': 'Unsuspend OKTA user',
  'user.password.expire': 'Expire password for user',
  'system.email.password_reset.sent_message': 'Password reset email sent',
  'group.user_membership.add': 'Add user to group membership',
  'group.user_membership.remove': 'Remove user from group membership',
  'application.user_membership.add': 'Add user to application membership',
};

/** A stable uuid per recorded event (Okta's LogEvent.uuid), so paging and de-duplication work. */
function uuidOf(event: SandboxEvent, index: number): string {
  const hex = createHash('sha256').update(`${index}|${event.type}|${event.targetId}|${event.at}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function actorJson(user: SandboxUser | undefined, id: string) {
  return { id, type: 'User', alternateId: user?.profile.login ?? 'unknown', displayName: user ? `${user.profile.firstName} ${user.profile.lastName}` : 'unknown', detailEntry: null };
}

/** `filter` supports the System Log's `eventType eq "…"`, `target.id eq "…"` and `actor.id eq "…"`, joined by `and`. */
function filterOf(expression: string | null): ((event: SandboxEvent) => boolean) | 'invalid' {
  if (!expression) return () => true;
  const clauses = expression.split(/\s+and\s+/i).map((clause) => /^(eventType|target\.id|actor\.id)\s+eq\s+"([^"]*)"$/.exec(clause.trim()));
  if (clauses.some((c) => c === null)) return 'invalid';
  return (event) => clauses.every((c) => {
    const [, field, value] = c!;
    if (field === 'eventType') return event.type === value;
    if (field === 'target.id') return event.targetId === value;
    return event.actorId === value;
  });
}

/**
 * GET /api/v1/logs: the System Log API over the side effects the sandbox recorded, so audit tests can
 * check from outside what happened (since/until, filter, q, sortOrder, limit with a `next` link).
 */
export function registerLogRoutes(server: SandboxServer, ctx: SandboxContext): void {
  server.route('GET', '/api/v1/logs', api(ctx, 'GET /api/v1/logs', (req, principal) => {
    const denied = checkAdmin(ctx, principal, 'okta.logs.read');
    if (denied) return denied;
    const since = Date.parse(req.query.get('since') ?? '') || ctx.now().getTime() - 7 * 24 * 3600_000;
    const until = Date.parse(req.query.get('until') ?? '') || Number.POSITIVE_INFINITY;
    const match = filterOf(req.query.get('filter'));
    if (match === 'invalid') return errors.validation('Invalid filter expression');
    const q = (req.query.get('q') ?? '').toLowerCase().split(/\s+/).filter(Boolean);
    const descending = req.query.get('sortOrder') === 'DESCENDING';
    const requested = Number(req.query.get('limit') ?? 100);
    const limit = Math.max(1, Math.min(Number.isFinite(requested) && requested > 0 ? requested : 100, 1000));
    let events = ctx.state.events
      .map((event, index) => ({ event, uuid: uuidOf(event, index) }))
      .filter(({ event }) => {
        const at = Date.parse(event.at);
        if (at < since || at >= until || !match(event)) return false;
        const text = `${event.type} ${ctx.state.users.get(event.targetId)?.profile.login ?? ''} ${ctx.state.users.get(event.actorId)?.profile.login ?? ''}`.toLowerCase();
        return q.every((word) => text.includes(word));
      });
    if (descending) events = events.reverse();
    const after = req.query.get('after');
    const start = after ? events.findIndex((e) => e.uuid === after) + 1 : 0;
    const slice = events.slice(start, start + limit);
    const self = new URL(req.url.pathname + req.url.search, ctx.base());
    const links = [`<${self.toString()}>; rel="self"`];
    const last = slice[slice.length - 1];
    if (last && start + limit < events.length) {
      const next = new URL(req.url.pathname, ctx.base());
      req.query.forEach((value, key) => key !== 'after' && next.searchParams.set(key, value));
      next.searchParams.set('after', last.uuid);
      links.push(`<${next.toString()}>; rel="next"`);
    }
    return {
      status: 200,
      headers: { link: links.join(', ') },
      body: slice.map(({ event, uuid }) => {
        const target = ctx.state.users.get(event.targetId);
        return {
          uuid,
          published: event.at,
          eventType: event.type,
          version: '0',
          severity: 'INFO',
          legacyEventType: null,
          displayMessage: DISPLAY[event.type] ?? event.type,
          actor: actorJson(ctx.state.users.get(event.actorId), event.actorId),
          client: { userAgent: null, zone: 'null', device: 'Unknown', id: null, ipAddress: '127.0.0.1', geographicalContext: null },
          outcome: { result: 'SUCCESS', reason: null },
          target: [{ ...actorJson(target, event.targetId), type: target ? 'User' : 'Resource' }],
          transaction: { type: 'WEB', id: uuid.replace(/-/g, '').slice(0, 20), detail: {} },
          debugContext: { debugData: {} },
          authenticationContext: { authenticationStep: 0, externalSessionId: 'unknown' },
          securityContext: {},
        };
      }),
    };
  }));
}
