import { randomBytes } from 'node:crypto';
import { SandboxServer, type FaultSettings, type SandboxExchange } from '../../shared/sandboxServer.js';
import { serverError, sfError, type SandboxContext } from './context.js';
import { registerIdentityRoutes } from './identityRoutes.js';
import { registerOAuthRoutes } from './oauthRoutes.js';
import { registerQueryRoutes } from './queryRoutes.js';
import { seedState } from './seed.js';
import { registerSObjectRoutes } from './sobjectRoutes.js';
import { SalesforceSandboxState, type SandboxUser } from './state.js';
import { mulberry32 } from '../../shared/sandbox/random.js';

export { SalesforceSandboxState } from './state.js';
export type { SandboxUser, SfRow } from './state.js';
export { OPPORTUNITY_STAGES, CASE_STATUSES } from './model.js';

/** The grant a demo user gets from `issueTokenFor`. */
export const SANDBOX_USER_SCOPE = 'api refresh_token openid';

export interface SalesforceSandboxOptions {
  port?: number;
  /** Session lifetime; Salesforce's default session timeout is two hours, the brief asks for one. */
  tokenTtlSeconds?: number;
  /** Seeds demo data values and fault injection, so runs are reproducible. */
  seed?: number;
  /** Restrict OAuth to one connected app; by default any client id is accepted and its secret signs the token response. */
  client?: { id: string; secret: string };
  /** Records per query batch (Salesforce: 2000). */
  queryBatchSize?: number;
  /** The org's rolling 24-hour API allowance. */
  dailyApiLimit?: number;
  /** Serve the fault knobs and a read-only view of the records over HTTP (/__sandbox/...). */
  admin?: boolean;
}

export interface SalesforceFaults extends FaultSettings {
  /** The next N writes commit but answer 500, as if the response was lost on the way back. */
  dropWriteResponses: number;
}

export interface SalesforceSandbox {
  /** The login host (OAuth). Use it as the connector's baseUrl. */
  readonly url: string;
  /** The org's instance host that token responses name as `instance_url`; a different origin. */
  readonly instanceUrl: string;
  readonly state: SalesforceSandboxState;
  /** Requests and responses on both hosts, for contract tests. */
  readonly exchanges: readonly SandboxExchange[];
  /** Requests with their headers, on both hosts. */
  readonly requests: readonly SandboxServer['requests'][number][];
  stop(): Promise<void>;
  setFaults(settings: Partial<SalesforceFaults>): void;
  resetFaults(): void;
  /** A token pair for a demo user without the browser flow; pass `instanceUrl` as metadata.instance_url. */
  issueTokenFor(email: string, clientId?: string, clientSecret?: string): { accessToken: string; refreshToken: string; userId: string; instanceUrl: string };
  /** Ends every session (or one user's) now, as if its timeout had passed; refresh tokens stay valid. */
  expireAccessTokens(email?: string): void;
  user(email: string): SandboxUser;
}

export async function startSalesforceSandbox(options: SalesforceSandboxOptions = {}): Promise<SalesforceSandbox> {
  const seed = options.seed ?? 42;
  const random = mulberry32(seed ^ 0x5f0ce);
  const state = new SalesforceSandboxState({ dailyApiLimit: options.dailyApiLimit ?? 15_000 });
  const writeFaults = { dropWriteResponses: 0 };
  const rateLimited = (): ReturnType<typeof sfError> => sfError(state, 403, 'REQUEST_LIMIT_EXCEEDED', 'ConcurrentPerOrgLongTxn Limit exceeded.');
  const login = new SandboxServer({ name: 'salesforce-login', seed, rateLimitResponse: rateLimited, serverErrorResponse: () => serverError(state, random) });
  const instance = new SandboxServer({ name: 'salesforce', seed: seed + 1, rateLimitResponse: rateLimited, serverErrorResponse: () => serverError(state, random) });
  let loginUrl = '';
  let instanceUrl = '';
  const ctx: SandboxContext = {
    state,
    loginUrl: () => loginUrl,
    instanceUrl: () => instanceUrl,
    tokenTtlSeconds: options.tokenTtlSeconds ?? 3600,
    ...(options.client ? { client: options.client } : {}),
    queryBatchSize: options.queryBatchSize ?? 2000,
    newSecret: (bytes = 32) => randomBytes(bytes).toString('base64url').replace(/[-_]/g, 'A'),
    writeFaults,
  };
  seedState(state, random);
  const issuer = registerOAuthRoutes(login, ctx);
  registerIdentityRoutes(login, instance, ctx);
  registerQueryRoutes(instance, ctx);
  registerSObjectRoutes(instance, ctx, random);
  // On the login host (the sandbox's URL); the knobs are the instance host's, where the API lives.
  if (options.admin) login.enableAdmin(() => ({ users: state.users, ...Object.fromEntries([...state.records].map(([name, rows]) => [name, [...rows.values()]])) }), instance);
  loginUrl = await login.listen(options.port ?? 0);
  instanceUrl = await instance.listen(0);

  const userOf = (email: string): SandboxUser => {
    const user = state.userByEmail(email);
    if (!user) throw new Error(`no Salesforce sandbox user ${email}`);
    return user;
  };

  return {
    url: loginUrl,
    instanceUrl,
    state,
    get exchanges() {
      return [...login.exchanges, ...instance.exchanges];
    },
    get requests() {
      return [...login.requests, ...instance.requests];
    },
    async stop() {
      await Promise.all([login.stop(), instance.stop()]);
    },
    setFaults(settings) {
      const { dropWriteResponses, ...shared } = settings;
      if (dropWriteResponses !== undefined) writeFaults.dropWriteResponses = dropWriteResponses;
      // API faults belong to the instance host; OAuth endpoints stay reachable as the shared server intends.
      instance.setFaults(shared);
    },
    resetFaults() {
      writeFaults.dropWriteResponses = 0;
      instance.resetFaults();
    },
    issueTokenFor(email, clientId = 'switchboard', clientSecret = 'sandbox-secret') {
      const user = userOf(email);
      const body = issuer.issue(user, clientId, clientSecret, SANDBOX_USER_SCOPE, true);
      return { accessToken: String(body['access_token']), refreshToken: String(body['refresh_token']), userId: user.id, instanceUrl };
    },
    expireAccessTokens(email) {
      const only = email ? userOf(email).id : undefined;
      for (const record of state.accessTokens.values()) if (!only || record.userId === only) record.expiresAt = 0;
    },
    user: userOf,
  };
}
