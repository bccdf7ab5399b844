import { randomBytes } from 'node:crypto';
import { SandboxServer, type FaultSettings, type SandboxExchange } from '../../shared/sandboxServer.js';
import { registerCatalogRoutes } from './catalogRoutes.js';
import { registerKnowledgeRoutes } from './knowledgeRoutes.js';
import { rateHeaders, type SandboxContext } from './context.js';
import { registerOAuthRoutes } from './oauthRoutes.js';
import { errors } from './responses.js';
import { idMaker, seedState } from './seed.js';
import { ServiceNowSandboxState, type Row } from './state.js';
import { registerTableRoutes } from './tableRoutes.js';
import { mulberry32 } from '../../shared/sandbox/random.js';

export { ServiceNowSandboxState } from './state.js';
export type { Row, CatalogVariable } from './state.js';

export interface ServiceNowSandboxOptions {
  port?: number;
  /** Access-token lifetime; the instance default is 1800 s, the brief's default one hour. */
  tokenTtlSeconds?: number;
  /** Seeds sys_ids and fault injection, so runs are reproducible. */
  seed?: number;
  /** The registered OAuth client; a secret, when given, must match when the client sends one. */
  clientId?: string;
  clientSecret?: string;
  /** Configures a `sys_rate_limit_rules` record (requests per user per hour); none by default. */
  rateLimitPerHour?: number;
  /** Retry-After (seconds) on injected 429 bursts; 1 by default. */
  burstRetryAfterSeconds?: number;
  /** Serve the fault knobs and a read-only view of the records over HTTP (/__sandbox/...). */
  admin?: boolean;
}

export interface ServiceNowSandbox {
  readonly url: string;
  readonly state: ServiceNowSandboxState;
  readonly exchanges: readonly SandboxExchange[];
  /** Every request received (method, path, headers, parsed body), for tests of what a client sent. */
  readonly requests: SandboxServer['requests'];
  stop(): Promise<void>;
  setFaults(settings: Partial<FaultSettings>): void;
  resetFaults(): void;
  /** The next `count` matching API calls are applied but answered with a 502, as when a proxy drops the response. */
  loseResponses(count: number, filter?: { method?: string; pathPrefix?: string }): void;
  issueTokenFor(email: string): { accessToken: string; refreshToken: string; userId: string };
  /** Makes every access token (or one user's) expire now. */
  expireAccessTokens(email?: string): void;
  user(email: string): Row;
}

const RULE_ID = '0f6a1e2bdb2a3010a1b2c3d4e5f60718';

export async function startServiceNowSandbox(options: ServiceNowSandboxOptions = {}): Promise<ServiceNowSandbox> {
  const seed = options.seed ?? 42;
  const state = new ServiceNowSandboxState();
  const newId = idMaker(mulberry32(seed ^ 0x5e41));
  const ctx: SandboxContext = {
    state,
    base: () => server.url,
    now: () => new Date(),
    newId,
    newSecret: () => randomBytes(32).toString('base64url'),
    tokenTtlSeconds: options.tokenTtlSeconds ?? 3600,
    clientId: options.clientId ?? 'switchboard',
    ...(options.clientSecret === undefined ? {} : { clientSecret: options.clientSecret }),
    ...(options.rateLimitPerHour === undefined ? {} : { rateLimit: { perHour: options.rateLimitPerHour, ruleId: RULE_ID } }),
    burstRetryAfterSeconds: options.burstRetryAfterSeconds ?? 1,
  };
  const server = new SandboxServer({
    name: 'servicenow',
    seed,
    rateLimitResponse: () => {
      const perHour = ctx.rateLimit?.perHour ?? 10;
      return errors.rateLimited(perHour, { ...rateHeaders(ctx, perHour, RULE_ID), 'retry-after': String(ctx.burstRetryAfterSeconds) });
    },
    serverErrorResponse: () => errors.serverError(),
  });
  seedState(state, newId, ctx.now());
  const issuer = registerOAuthRoutes(server, ctx);
  registerTableRoutes(server, ctx);
  registerCatalogRoutes(server, ctx);
  registerKnowledgeRoutes(server, ctx);
  if (options.admin) server.enableAdmin(() => Object.fromEntries([...state.tables].map(([name, rows]) => [name, [...rows.values()]])));
  const url = await server.listen(options.port ?? 0);

  const userOf = (email: string): Row => {
    const user = state.userByEmail(email);
    if (!user) throw new Error(`no ServiceNow sandbox user ${email}`);
    return user;
  };

  return {
    url,
    state,
    exchanges: server.exchanges,
    requests: server.requests,
    stop: () => server.stop(),
    setFaults: (settings) => server.setFaults(settings),
    resetFaults: () => server.resetFaults(),
    loseResponses(count, filter = {}) {
      state.lostResponses = { count, ...filter };
    },
    issueTokenFor(email) {
      const user = userOf(email);
      const body = issuer.issue(user, ['useraccount']);
      return { accessToken: String(body['access_token']), refreshToken: String(body['refresh_token']), userId: user['sys_id'] ?? '' };
    },
    expireAccessTokens(email) {
      const only = email ? userOf(email)['sys_id'] : undefined;
      for (const record of state.accessTokens.values()) if (!only || record.userId === only) record.expiresAt = 0;
    },
    user: userOf,
  };
}
