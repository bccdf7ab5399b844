import { randomBytes } from 'node:crypto';
import { SandboxServer, type FaultSettings, type SandboxExchange } from '../../shared/sandboxServer.js';
import type { SandboxContext } from './context.js';
import { rateLimitHeaders } from './context.js';
import { registerDirectoryRoutes } from './directoryRoutes.js';
import { registerMyAccountRoutes } from './myAccountRoutes.js';
import { registerOAuthRoutes } from './oauthRoutes.js';
import { IdTokenSigner, registerOidcRoutes } from './oidc.js';
import { errors } from './responses.js';
import { idMaker, seedState } from './seed.js';
import { OktaSandboxState, SERVICE_ACCOUNT, type SandboxUser } from './state.js';
import { registerUserRoutes } from './userRoutes.js';
import { registerLogRoutes } from './logRoutes.js';
import { mulberry32 } from '../../shared/sandbox/random.js';

export { OktaSandboxState, SERVICE_ACCOUNT } from './state.js';
export type { SandboxUser, SandboxGroup, SandboxApp, SandboxFactor, SandboxEvent, UserStatus } from './state.js';

/** Everything a demo user's grant would hold; `issueTokenFor` uses it. */
export const SANDBOX_USER_SCOPES = ['openid', 'profile', 'email', 'offline_access', 'okta.users.read.self', 'okta.myAccount.profile.read'] as const;

export interface OktaSandboxOptions {
  port?: number;
  /** Access-token lifetime; Okta's default is one hour. */
  tokenTtlSeconds?: number;
  /** Seeds ids and fault injection, so runs are reproducible. */
  seed?: number;
  /** The one registered OAuth client (`switchboard` by default); a secret is checked only when given. */
  clientId?: string;
  clientSecret?: string;
  /** Okta-style per-endpoint limit (requests per minute); real 429s above it. */
  rateLimitPerMinute?: number;
  /** Caps `limit` on list endpoints, so paging can be exercised with the demo data. */
  maxPageSize?: number;
  /** Serve the fault knobs and a read-only view of the records over HTTP (/__sandbox/...). */
  admin?: boolean;
}

export interface OktaSandbox {
  readonly url: string;
  readonly state: OktaSandboxState;
  /** SSWS API token created by the `svc.switchboard@acme.test` super admin: the tenant's service credential. */
  readonly serviceToken: string;
  readonly exchanges: readonly SandboxExchange[];
  stop(): Promise<void>;
  setFaults(settings: Partial<FaultSettings>): void;
  resetFaults(): void;
  issueTokenFor(email: string, scopes?: readonly string[]): { accessToken: string; refreshToken: string; userId: string };
  /** Makes every access token (or one user's) expire now, as if its hour had passed. */
  expireAccessTokens(email?: string): void;
  user(email: string): SandboxUser;
}

export async function startOktaSandbox(options: OktaSandboxOptions = {}): Promise<OktaSandbox> {
  const seed = options.seed ?? 42;
  const random = mulberry32(seed ^ 0x5eed);
  const state = new OktaSandboxState();
  const server = new SandboxServer({
    name: 'okta',
    seed,
    rateLimitResponse: () => {
      const now = Date.now();
      return errors.rateLimited(rateLimitHeaders(ctx, 0, now - 59_000));
    },
    serverErrorResponse: () => errors.serverError(),
  });
  const ctx: SandboxContext = {
    state,
    base: () => server.url,
    now: () => new Date(),
    newId: idMaker(random),
    newSecret: () => randomBytes(32).toString('base64url'),
    tokenTtlSeconds: options.tokenTtlSeconds ?? 3600,
    clientId: options.clientId ?? 'switchboard',
    ...(options.clientSecret === undefined ? {} : { clientSecret: options.clientSecret }),
    rateLimitPerMinute: options.rateLimitPerMinute ?? 600,
    maxPageSize: options.maxPageSize ?? 200,
  };
  seedState(state, random, ctx.now());
  const signer = new IdTokenSigner();
  const issuer = registerOAuthRoutes(server, ctx, signer);
  registerOidcRoutes(server, ctx, signer);
  registerUserRoutes(server, ctx);
  registerDirectoryRoutes(server, ctx);
  registerMyAccountRoutes(server, ctx);
  registerLogRoutes(server, ctx);
  if (options.admin) {
    server.enableAdmin(() => ({
      users: [...state.users.values()],
      groups: [...state.groups.values()].map((g) => ({ ...g, members: [...g.members] })),
      events: state.events,
    }));
  }

  const serviceUser = state.userByLogin(SERVICE_ACCOUNT.email);
  const serviceToken = `00${randomBytes(20).toString('base64url')}`;
  state.apiTokens.set(serviceToken, serviceUser?.id ?? '');
  const url = await server.listen(options.port ?? 0);

  const userOf = (email: string): SandboxUser => {
    const user = state.userByLogin(email);
    if (!user) throw new Error(`no Okta sandbox user ${email}`);
    return user;
  };

  return {
    url,
    state,
    serviceToken,
    exchanges: server.exchanges,
    stop: () => server.stop(),
    setFaults: (settings) => server.setFaults(settings),
    resetFaults: () => server.resetFaults(),
    issueTokenFor(email, scopes = SANDBOX_USER_SCOPES) {
      const user = userOf(email);
      const body = issuer.issue(user, ctx.clientId, [...new Set([...scopes, 'offline_access'])]);
      return { accessToken: String(body['access_token']), refreshToken: String(body['refresh_token']), userId: user.id };
    },
    expireAccessTokens(email) {
      const only = email ? userOf(email).id : undefined;
      for (const record of state.accessTokens.values()) if (!only || record.userId === only) record.expiresAt = 0;
    },
    user: userOf,
  };
}
