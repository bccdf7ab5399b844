import type { SandboxHandle } from '../../../src/tools/connector.js';
import { SandboxServer, type FaultSettings, type SandboxExchange } from '../../shared/sandboxServer.js';
import { registerApiRoutes } from './apiRoutes.js';
import { issueTokens, registerOAuthRoutes } from './oauthRoutes.js';
import { errorCollection } from './representation.js';
import { JiraSandboxState } from './state.js';

export interface JiraSandboxOptions {
  readonly port?: number;
  /** Access-token lifetime; Atlassian's is one hour. */
  readonly tokenTtlSeconds?: number;
  /** Seed for fault injection. */
  readonly seed?: number;
  /** Serve the fault knobs and a read-only view of the records over HTTP (/__sandbox/...). */
  readonly admin?: boolean;
}

export interface JiraSandbox extends SandboxHandle {
  readonly state: JiraSandboxState;
  readonly cloudId: string;
  /** Every request with its response, for contract tests. */
  readonly exchanges: readonly SandboxExchange[];
  readonly requests: SandboxServer['requests'];
  setFaults(settings: Partial<FaultSettings> & { retryAfterSeconds?: number }): void;
  resetFaults(): void;
  /** Tokens for a demo user without the browser flow (scopes: read/write work, read user, offline). */
  issueTokenFor(email: string): { accessToken: string; refreshToken: string };
  /** Moves the sandbox clock forward, e.g. past access-token expiry. */
  advanceClock(seconds: number): void;
  /** Sets a user's profile visibility so Jira hides their email from apps (`emailAddress` omitted). */
  hideEmail(email: string): void;
}

const ALL_SCOPES = ['read:jira-work', 'write:jira-work', 'read:jira-user', 'offline_access'];

/** A Jira Cloud stand-in: Atlassian's auth server, the API gateway and one Jira site, in one process. */
export async function startJiraSandbox(options: JiraSandboxOptions = {}): Promise<JiraSandbox> {
  const state = new JiraSandboxState();
  const rateLimit = { retryAfterSeconds: 1 };
  let serverErrors = 0;
  const server = new SandboxServer({
    name: 'jira',
    seed: options.seed ?? 42,
    // Jira's throttling answer: 429 with Retry-After and the X-RateLimit-* family.
    rateLimitResponse: () => ({
      ...errorCollection(429, ['Rate limit exceeded.']),
      headers: {
        'retry-after': String(rateLimit.retryAfterSeconds),
        'x-ratelimit-limit': '100',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': new Date(state.now() + rateLimit.retryAfterSeconds * 1000).toISOString().slice(0, 16) + 'Z',
        'ratelimit-reason': 'jira-burst-based',
      },
    }),
    serverErrorResponse: () => {
      serverErrors += 1;
      return serverErrors % 2 === 0
        ? { ...errorCollection(503, ['Service Unavailable']), headers: { 'retry-after': '0' } }
        : errorCollection(500, ['Internal server error']);
    },
  });
  const settings = { tokenTtlSeconds: options.tokenTtlSeconds ?? 3600, url: () => server.url };
  registerOAuthRoutes(server, state, settings);
  registerApiRoutes(server, state, () => server.url);
  if (options.admin) server.enableAdmin(() => ({ users: state.users, projects: state.projects, issues: state.issues }));
  await server.listen(options.port ?? 0);

  return {
    get url() {
      return server.url;
    },
    state,
    cloudId: state.cloudId,
    exchanges: server.exchanges,
    requests: server.requests,
    stop: () => server.stop(),
    setFaults: ({ retryAfterSeconds, ...faults }) => {
      if (retryAfterSeconds !== undefined) rateLimit.retryAfterSeconds = retryAfterSeconds;
      server.setFaults(faults);
    },
    resetFaults: () => {
      rateLimit.retryAfterSeconds = 1;
      server.resetFaults();
    },
    issueTokenFor: (email) => {
      const user = state.userByEmail(email);
      if (!user) throw new Error(`no Jira sandbox user ${email}`);
      const body = issueTokens(state, settings, { accountId: user.accountId, clientId: 'switchboard', scopes: ALL_SCOPES });
      return { accessToken: String(body['access_token']), refreshToken: String(body['refresh_token']) };
    },
    advanceClock: (seconds) => {
      state.clockOffsetMs += seconds * 1000;
    },
    hideEmail: (email) => {
      const user = state.userByEmail(email);
      if (!user) throw new Error(`no Jira sandbox user ${email}`);
      state.hiddenEmails.add(user.accountId);
    },
  };
}

export { JiraSandboxState } from './state.js';
export { accountIdFor } from './seed.js';
