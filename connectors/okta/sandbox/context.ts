import type { SandboxHandler, SandboxRequest, SandboxResponse } from '../../shared/sandboxServer.js';
import { errors } from './responses.js';
import type { OktaSandboxState, SandboxUser } from './state.js';

/** Who is calling: an end user's OAuth token, or an SSWS API token carrying its creator's admin rights. */
export interface Principal {
  readonly kind: 'oauth' | 'ssws';
  readonly user: SandboxUser;
  readonly scopes: ReadonlySet<string>;
}

export interface SandboxContext {
  readonly state: OktaSandboxState;
  readonly base: () => string;
  readonly now: () => Date;
  readonly newId: (prefix: string) => string;
  readonly newSecret: () => string;
  readonly tokenTtlSeconds: number;
  readonly clientId: string;
  readonly clientSecret?: string;
  readonly rateLimitPerMinute: number;
  readonly maxPageSize: number;
  /** A user's status or a group's members changed (Okta queues provisioning tasks on such events). */
  readonly onDirectoryChange?: () => void;
}

export type ApiHandler = (req: SandboxRequest, principal: Principal) => SandboxResponse | Promise<SandboxResponse>;

/**
 * Wraps an API route the way Okta fronts every endpoint: per-endpoint per-minute rate limits with
 * X-Rate-Limit-* on every answer, then authentication.
 */
export function api(ctx: SandboxContext, bucket: string, handler: ApiHandler): SandboxHandler {
  return async (req) => {
    const limits = consume(ctx, bucket);
    if (limits.exceeded) return errors.rateLimited(limits.headers);
    const principal = authenticate(ctx, req);
    const response = 'status' in principal ? principal : await handler(req, principal);
    return { ...response, headers: { ...limits.headers, ...(response.headers ?? {}) } };
  };
}

export function rateLimitHeaders(ctx: SandboxContext, remaining: number, windowStart: number): Record<string, string> {
  return {
    'x-rate-limit-limit': String(ctx.rateLimitPerMinute),
    'x-rate-limit-remaining': String(Math.max(0, remaining)),
    'x-rate-limit-reset': String(Math.floor(windowStart / 1000) + 60),
  };
}

function consume(ctx: SandboxContext, bucket: string): { exceeded: boolean; headers: Record<string, string> } {
  const now = ctx.now().getTime();
  const windowStart = now - (now % 60_000);
  const window = ctx.state.rateWindows.get(bucket);
  const current = window && window.windowStart === windowStart ? window : { windowStart, count: 0 };
  current.count += 1;
  ctx.state.rateWindows.set(bucket, current);
  return { exceeded: current.count > ctx.rateLimitPerMinute, headers: rateLimitHeaders(ctx, ctx.rateLimitPerMinute - current.count, windowStart) };
}

function authenticate(ctx: SandboxContext, req: SandboxRequest): Principal | SandboxResponse {
  const header = req.headers.authorization ?? '';
  const [scheme, token] = header.split(' ', 2);
  if (scheme === 'SSWS' && token) {
    const creator = ctx.state.users.get(ctx.state.apiTokens.get(token) ?? '');
    return creator ? { kind: 'ssws', user: creator, scopes: new Set() } : errors.invalidToken();
  }
  if (scheme === 'Bearer' && token) {
    const record = ctx.state.accessTokens.get(token);
    const user = record ? ctx.state.users.get(record.userId) : undefined;
    if (!record || !user || record.expiresAt <= ctx.now().getTime()) {
      return errors.invalidToken({ 'www-authenticate': `Bearer authorization_uri="${ctx.base()}/oauth2/v1/authorize", realm="${ctx.base()}", scope="", error="invalid_token", error_description="The access token is invalid.", resource="${req.path}"` });
    }
    return { kind: 'oauth', user, scopes: new Set(record.scopes) };
  }
  return errors.invalidToken();
}

/** SSWS tokens are unscoped; OAuth tokens need the scope (or its `.self` variant for self-only reads). */
export function hasScope(principal: Principal, scope: string): boolean {
  return principal.kind === 'ssws' || principal.scopes.has(scope);
}

/** Okta admin rights: the token's creator for SSWS, the signed-in user's admin role for OAuth. */
export function isAdmin(principal: Principal): boolean {
  return principal.user.admin;
}

export function insufficientScope(ctx: SandboxContext, scope: string): SandboxResponse {
  return errors.forbidden({ 'www-authenticate': `Bearer authorization_uri="${ctx.base()}/oauth2/v1/authorize", realm="${ctx.base()}", scope="${scope}", error="insufficient_scope", error_description="The access token provided does not contain the required scopes."` });
}

/**
 * Read access to a user: self with `okta.users.read.self`, anyone with `okta.users.read` plus an
 * admin role. Returns an error response, or undefined when allowed.
 */
export function checkUserRead(ctx: SandboxContext, principal: Principal, target: SandboxUser): SandboxResponse | undefined {
  if (principal.kind === 'ssws') return undefined;
  const self = principal.user.id === target.id;
  if (self && (principal.scopes.has('okta.users.read.self') || principal.scopes.has('okta.users.read'))) return undefined;
  if (!principal.scopes.has('okta.users.read')) return insufficientScope(ctx, self ? 'okta.users.read.self' : 'okta.users.read');
  return isAdmin(principal) ? undefined : errors.forbidden();
}

/** Admin operations (lifecycle, memberships, assignments): the scope and an admin role, never self-service. */
export function checkAdmin(ctx: SandboxContext, principal: Principal, scope: string): SandboxResponse | undefined {
  if (!hasScope(principal, scope)) return insufficientScope(ctx, scope);
  return isAdmin(principal) ? undefined : errors.forbidden();
}

/** Okta's cursor paging: `limit` (capped) and an opaque `after`, with `Link` rel="next"/"self". */
export function page<T>(ctx: SandboxContext, req: SandboxRequest, items: readonly T[], idOf: (item: T) => string, defaultLimit: number): { items: T[]; headers: Record<string, string> } {
  const requested = Number(req.query.get('limit') ?? defaultLimit);
  const limit = Math.max(1, Math.min(Number.isFinite(requested) && requested > 0 ? requested : defaultLimit, ctx.maxPageSize));
  const after = req.query.get('after');
  const start = after ? items.findIndex((item) => idOf(item) === after) + 1 : 0;
  const slice = items.slice(start, start + limit);
  const self = new URL(req.url.pathname + req.url.search, ctx.base());
  const links = [`<${self.toString()}>; rel="self"`];
  const last = slice[slice.length - 1];
  if (start + limit < items.length && last) {
    const next = new URL(req.url.pathname, ctx.base());
    req.query.forEach((value, key) => key !== 'after' && key !== 'limit' && next.searchParams.set(key, value));
    next.searchParams.set('after', idOf(last));
    next.searchParams.set('limit', String(limit));
    links.push(`<${next.toString()}>; rel="next"`);
  }
  return { items: slice, headers: { link: links.join(', ') } };
}
