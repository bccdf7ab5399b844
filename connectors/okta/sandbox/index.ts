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
import { registerProvisioningRoutes } from './provisioningRoutes.js';
import { ScimPushClient, type ProvisioningTarget, type PushSummary, type SentRequest } from './scimPush.js';
import { mulberry32 } from '../../shared/sandbox/random.js';

export { OktaSandboxState, SERVICE_ACCOUNT } from './state.js';
export { ProvisioningError, type ProvisioningTarget, type PushSummary, type SentRequest } from './scimPush.js';
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
  /** Okta's outbound SCIM provisioning to an app (off until a target is configured). */
  readonly provisioning: {
    configure(target: { baseUrl: string; token: string; pushGroups?: string[] }): ProvisioningTarget;
    push(): Promise<PushSummary>;
    /** The last automatic push's failure, if the latest one failed (pushes on changes run in the background). */
    readonly lastError: string | undefined;
    /** The SCIM requests sent so far (newest last). */
    readonly sent: readonly SentRequest[];
  };
}

export async function startOktaSandbox(options: OktaSandboxOptions = {}): Promise<OktaSandbox> {
  const seed = options.seed ?? 42;
  const random = mulberry32(seed ^ 0x5eed);
  const state = new OktaSandboxState();
  const provisioning = new ScimPushClient(state);
  let lastPushError: string | undefined;
  // Like Okta's provisioning tasks: a directory change is pushed when a target is configured.
  const pushOnChange = (): void => {
    if (!provisioning.configured) return;
    provisioning.push().then(() => { lastPushError = undefined; }, (error: unknown) => { lastPushError = error instanceof Error ? error.message : String(error); });
  };
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
    onDirectoryChange: pushOnChange,
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
    registerProvisioningRoutes(server, ctx, provisioning);
    server.enableAdmin(() => ({
      users: [...state.users.values()],
      groups: [...state.groups.values()].map((g) => ({ ...g, members: [...g.members] })),
      events: state.events,
      provisioning: provisioning.sent,
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
    provisioning: {
      configure: (target) => provisioning.configure(target),
      push: () => provisioning.push(),
      get lastError() { return lastPushError; },
      sent: provisioning.sent,
    },
  };
}
