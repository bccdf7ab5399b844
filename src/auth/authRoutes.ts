import { createHash, randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { TenantConfig } from '../config/tenantConfig.js';
import type { Logger } from '../core/logger.js';
import type { KeyValueStore } from '../infra/keyValue.js';
import { tenantKey } from '../infra/keys.js';
import type { RateLimiter } from '../infra/rateLimiter.js';
import { sendJson, type HttpApp } from '../http/httpApp.js';
import { queryOf, readJson, sendError, validate } from '../channels/web/http.js';
import { csrfRefusal, sameOrigin } from './csrf.js';
import { LoginThrottle } from './loginThrottle.js';
import { SsoError, type PendingSignIn } from './oidc.js';
import { verifyPassword } from './passwordHash.js';
import { cookieValue, type Sessions, type SignInMethod } from './sessions.js';
import { SSO_CALLBACK_PATH, type SignInMethods } from './signInMethods.js';

export interface AuthRoutesOptions {
  readonly prisma: PrismaClient;
  readonly kv: KeyValueStore;
  readonly rateLimiter: RateLimiter;
  readonly logger: Logger;
  readonly sessions: Sessions;
  readonly methods: SignInMethods;
  readonly tenants: readonly TenantConfig[];
  readonly publicUrl: string;
}

const PENDING_COOKIE = 'sb_sso';
const PENDING_TTL_MS = 10 * 60_000;
const tenantIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{1,40}$/, 'not a valid workspace id');
/** Only local paths: a sign-in must never bounce the browser to another site. */
const returnToSchema = z.string().regex(/^\/(?![/\\])[\w\-./?=&%]*$/).max(200).catch('/ops');
const startSchema = z.object({ tenant: tenantIdSchema, returnTo: returnToSchema.default('/ops') });
const pendingSchema = z.object({ tenantId: z.string(), state: z.string(), nonce: z.string(), codeVerifier: z.string(), returnTo: z.string() });
const loginSchema = z.object({
  tenant: tenantIdSchema,
  email: z.string().trim().email('enter the email address of the break-glass account'),
  password: z.string().min(1, 'enter the password').max(500, 'that password is too long'),
});

/**
 * Sign-in for the operations view and the playground, under /auth: single sign-on with the tenant's
 * own IdP (OpenID Connect), and a break-glass password per tenant. Either way the session belongs to
 * the one tenant the sign-in was for; nothing the person types can move it to another.
 */
export function mountAuthRoutes(http: HttpApp, options: AuthRoutesOptions): void {
  const { sessions, methods, prisma } = options;
  const log = options.logger.child({ component: 'auth' });
  const throttle = new LoginThrottle(options.rateLimiter);
  const secure = options.publicUrl.startsWith('https://');
  const tenantById = (id: string): TenantConfig | undefined => options.tenants.find((t) => t.id === id);
  const describe = (t: TenantConfig) => ({ id: t.id, name: t.name, sso: methods.ssoFor(t.id) ? { label: methods.ssoFor(t.id)!.label } : null, breakGlass: methods.breakGlassFor(t.id) !== undefined });

  const signIn = async (tenantId: string, email: string, via: SignInMethod, grantedRoles: string[]): Promise<{ token: string; userId: string } | null> => {
    const user = await prisma.user.findFirst({ where: { tenantId, email: { equals: email, mode: 'insensitive' }, deactivatedAt: null }, select: { id: true, email: true } });
    if (!user) return null;
    const token = await sessions.create({ tenantId, userId: user.id, email: user.email, grantedRoles, via });
    await prisma.auditLog.create({ data: { tenantId, actorUserId: user.id, action: 'auth.signed_in', targetType: 'user', targetId: user.id, data: { via, grantedRoles } } });
    return { token, userId: user.id };
  };

  /** Refused sign-ins go to the tenant's audit log too (bounded by the throttle), never the password. */
  const auditRefusal = async (tenantId: string, via: SignInMethod, reason: string, email?: string): Promise<void> => {
    if (!tenantById(tenantId)) return;
    await prisma.auditLog.create({ data: { tenantId, action: 'auth.sign_in_refused', targetType: 'sign_in', targetId: via, data: { reason, ...(email ? { email } : {}) } } });
  };

  // With one tenant the page can offer its buttons at once; with several it asks for the workspace
  // first, so the sign-in page does not list every customer.
  http.route('GET', '/auth/options', (req, res) => {
    const wanted = queryOf(req)['tenant'];
    const tenant = typeof wanted === 'string' ? tenantById(wanted) : options.tenants.length === 1 ? options.tenants[0] : undefined;
    if (typeof wanted === 'string' && !tenant) return sendError(res, 404, 'unknown_tenant', 'There is no workspace with that id.');
    sendJson(res, 200, { tenants: tenant ? [describe(tenant)] : [], askTenant: !tenant }, { 'cache-control': 'no-store' });
  });

  http.route('GET', '/auth/session', async (req, res) => {
    const session = await sessions.find(req);
    const tenant = session ? tenantById(session.tenantId) : undefined;
    sendJson(res, 200, session ? { signedIn: true, ...session, tenantName: tenant?.name ?? session.tenantId } : { signedIn: false }, { 'cache-control': 'no-store' });
  });

  http.route('GET', '/auth/sso/start', async (req, res) => {
    const query = validate(res, startSchema, queryOf(req));
    if (!query) return;
    const sso = methods.ssoFor(query.tenant);
    if (!sso) return sendError(res, 404, 'sso_not_configured', 'Single sign-on is not set up for that workspace.');
    let begun: { url: URL; pending: PendingSignIn };
    try {
      begun = await sso.provider.begin();
    } catch (error) {
      log.error({ tenantId: query.tenant, err: { message: error instanceof Error ? error.message : String(error) } }, 'single sign-on could not start');
      return redirect(res, withError(query.returnTo, 'idp_unreachable'));
    }
    // The pending sign-in is bound to this browser by a cookie only it holds: a callback URL
    // replayed in another browser (or a login-CSRF) finds nothing to complete.
    const secret = randomBytes(24).toString('base64url');
    await options.kv.set(pendingKey(query.tenant, secret), JSON.stringify({ tenantId: query.tenant, ...begun.pending, returnTo: query.returnTo }), { ttlMs: PENDING_TTL_MS });
    redirect(res, begun.url.href, pendingCookie(`${query.tenant}.${secret}`, PENDING_TTL_MS, secure));
  });

  http.route('GET', SSO_CALLBACK_PATH, async (req, res) => {
    const cleared = pendingCookie('', 0, secure);
    const match = /^([a-z0-9][a-z0-9-]{1,40})\.([A-Za-z0-9_-]{32})$/.exec(cookieValue(req, PENDING_COOKIE) ?? '');
    const raw = match ? await options.kv.get(pendingKey(match[1]!, match[2]!)) : null;
    if (match) await options.kv.delete(pendingKey(match[1]!, match[2]!));
    const pending = raw ? pendingSchema.safeParse(parseJson(raw)) : undefined;
    if (!pending?.success || pending.data.tenantId !== match?.[1]) {
      log.warn({ reason: 'no_pending_sign_in' }, 'single sign-on refused');
      return redirect(res, withError('/ops', 'expired'), cleared);
    }
    const { tenantId, returnTo } = pending.data;
    const sso = methods.ssoFor(tenantId);
    if (!sso) return redirect(res, withError(returnTo, 'sso_not_configured'), cleared);
    try {
      // The redirect_uri sent with the code must be the registered one, PUBLIC_URL's path prefix included.
      const callbackUrl = new URL(`${options.publicUrl}${SSO_CALLBACK_PATH}`);
      callbackUrl.search = new URL(req.url ?? '/', 'http://callback.invalid').search;
      const identity = await sso.provider.complete(callbackUrl, pending.data);
      const adminGroups = tenantById(tenantId)?.sso?.adminGroups ?? [];
      const granted = identity.groups.some((g) => adminGroups.includes(g)) ? ['admin'] : [];
      const signedIn = await signIn(tenantId, identity.email, 'sso', granted);
      if (!signedIn) {
        log.warn({ tenantId, reason: 'unknown_user' }, 'single sign-on refused: the IdP vouched for someone who is not in this workspace');
        await auditRefusal(tenantId, 'sso', 'unknown_user', identity.email);
        return redirect(res, withError(returnTo, 'unknown_user'), cleared);
      }
      log.info({ tenantId, userId: signedIn.userId }, 'signed in with single sign-on');
      redirect(res, returnTo, cleared, sessions.cookie(signedIn.token));
    } catch (error) {
      const code = error instanceof SsoError ? error.code : 'invalid_response';
      log.warn({ tenantId, reason: code, err: { message: error instanceof Error ? error.message : String(error) } }, 'single sign-on refused');
      redirect(res, withError(returnTo, code), cleared);
    }
  });

  http.route('POST', '/auth/login', async (req, res) => {
    // Login CSRF: a foreign page must not sign the browser in as someone else.
    if (!sameOrigin(req, options.publicUrl)) return sendError(res, 403, 'forbidden_origin', 'The request came from another site.');
    const body = await readJson(req, res, loginSchema, 4096);
    if (!body) return;
    const email = body.email.toLowerCase();
    const wait = await throttle.refuse(body.tenant, email, req);
    if (wait !== null) {
      log.warn({ tenantId: body.tenant, reason: 'throttled' }, 'break-glass sign-in refused');
      await auditRefusal(body.tenant, 'break_glass', 'throttled', email);
      return sendJson(res, 429, { error: { code: 'too_many_attempts', message: 'Too many sign-in attempts. Wait a minute and try again.' } }, { 'retry-after': String(Math.max(1, Math.ceil(wait / 1000))), 'cache-control': 'no-store' });
    }
    const account = methods.breakGlassFor(body.tenant);
    const matches = account?.email === email;
    // The hash is computed either way, so the answer time does not reveal which part was wrong.
    const passwordOk = await verifyPassword(body.password, matches ? account.hash : await methods.decoy());
    const signedIn = matches && passwordOk ? await signIn(body.tenant, email, 'break_glass', []) : null;
    if (!signedIn) {
      log.warn({ tenantId: body.tenant, reason: 'bad_credentials' }, 'break-glass sign-in refused');
      await auditRefusal(body.tenant, 'break_glass', 'bad_credentials', email);
      return sendError(res, 401, 'invalid_credentials', 'That workspace, email and password do not match a break-glass account.');
    }
    log.warn({ tenantId: body.tenant, userId: signedIn.userId }, 'signed in with the break-glass account');
    sendJson(res, 200, { tenantId: body.tenant, email }, { 'set-cookie': sessions.cookie(signedIn.token), 'cache-control': 'no-store' });
  });

  http.route('POST', '/auth/logout', async (req, res) => {
    const session = await sessions.find(req);
    if (session) {
      const refusal = csrfRefusal(req, session, options.publicUrl);
      if (refusal) return sendError(res, 403, 'csrf', refusal);
      await sessions.destroy(req);
    }
    sendJson(res, 200, { ok: true }, { 'set-cookie': sessions.clearedCookie(), 'cache-control': 'no-store' });
  });
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return null;
  }
}

function pendingKey(tenantId: string, secret: string): string {
  return tenantKey(tenantId, 'sso-pending', createHash('sha256').update(secret).digest('hex'));
}

/** Lax, not Strict: the IdP's redirect back is a cross-site top-level navigation that must carry it. */
function pendingCookie(value: string, ttlMs: number, secure: boolean): string {
  return `${PENDING_COOKIE}=${value}; Path=/auth/sso; HttpOnly; SameSite=Lax; Max-Age=${Math.floor(ttlMs / 1000)}${secure ? '; Secure' : ''}`;
}

function withError(returnTo: string, code: string): string {
  return `${returnTo}${returnTo.includes('?') ? '&' : '?'}signin_error=${encodeURIComponent(code)}`;
}

function redirect(res: ServerResponse, location: string, ...cookies: string[]): void {
  res.writeHead(302, { location, 'cache-control': 'no-store', ...(cookies.length > 0 ? { 'set-cookie': cookies } : {}) });
  res.end();
}

