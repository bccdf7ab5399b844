import { join, resolve } from 'node:path';
import { loadEnv, type Env } from '../config/env.js';
import { describePosture, postureOf, type Posture } from '../config/posture.js';
import { exampleTenantsFilePath, loadTenantsFile } from '../config/tenantsFile.js';
import type { TenantConfig } from '../config/tenantConfig.js';
import { asRoutine, createLogger, type Logger } from '../core/logger.js';
import { HttpApp } from '../http/httpApp.js';
import { createInfra } from '../infra/createInfra.js';
import { createMetrics } from '../observability/metrics.js';
import { createTracing, type Tracing } from '../observability/tracing.js';
import { tracedPlanner } from '../observability/tracingPlanner.js';
import { registerStateGauges } from '../observability/stateGauges.js';
import { openDatabase } from '../store/database.js';
import { loadKeyRing, SecretBox } from '../store/crypto/index.js';
import { createRepositories, syncTenants } from '../store/repositories/index.js';
import { AccountLinkingService, basePathOf, CredentialBroker, createConnectorDirectory, linkStartPage, linkStartSubmit, mappedAccountsFrom, oauthCallbackHandler } from '../linking/index.js';
import { createPlanner } from '../planner/createPlanner.js';
import { BreakerRegistry, DEFAULT_RESILIENCE } from '../models/resilience.js';
import { createTokenCounter } from '../models/tokenCounter.js';
import { createWebChannel } from '../channels/web/index.js';
import { mountHealthRoutes } from '../ops/healthRoutes.js';
import { mountOpsRoutes, OPS_ADMIN_ROLE } from '../ops/opsRoutes.js';
import { csrfRefusal, mountAuthRoutes, Sessions, SignInMethods, signInSummary } from '../auth/index.js';
import { mountScimRoutes, ScimTokens } from '../scim/index.js';
import type { Planner } from '../planner/planner.js';
import { renderBanner } from './banner.js';
import { createChatChannels } from './chatChannels.js';
import { Closers } from './closers.js';
import { CONNECTOR_MODULES } from './connectorModules.js';
import { autolinkDemoAccounts } from './demoAutolink.js';
import { createRuntime } from './engineRuntime.js';
import { McpHub } from '../mcp/mcpHub.js';
import { startSandboxes, type Sandboxes } from './sandboxes.js';
import { prepareSandboxScimPush } from './sandboxScimPush.js';

export interface SwitchboardOptions {
  /** Parsed environment; loadEnv(envSource) when omitted. */
  readonly env?: Env;
  /** Where secrets named by the tenants file are read (process.env by default). */
  readonly envSource?: Readonly<Record<string, string | undefined>>;
  readonly logger?: Logger;
  /** Overrides PORT; 0 picks a free port (tests). */
  readonly port?: number;
  /** Overrides the posture's bind address (HOST, or 127.0.0.1 in the embedded posture). */
  readonly host?: string;
  /** Overrides SANDBOX_PORTS_START; 0 picks free ports (tests). */
  readonly sandboxPortsStart?: number;
  /** Overrides DEMO_AUTOLINK. */
  readonly autolink?: boolean;
  /** Redis key prefix (tests isolate themselves with a unique one). */
  readonly redisKeyPrefix?: string;
  /** Overrides PLAYGROUND; when deployed an enabled playground acts only as the signed-in person. */
  readonly playground?: boolean;
  /** Print the startup block (main.ts does; tests do not). */
  readonly printBanner?: boolean;
  readonly startedAt?: number;
  /**
   * How long /readyz answers 503 before anything stops on shutdown, so a load balancer takes the
   * process out of rotation first; 2 s when deployed, none in the embedded demo.
   */
  readonly shutdownDrainMs?: number;
  /** OpenTelemetry tracing; built from the OTEL_* variables of envSource when omitted (nothing exported when unset). */
  readonly tracing?: Tracing;
}

export interface Switchboard {
  readonly url: string;
  /** Where this process listens (PUBLIC_URL may name a proxy in front of it). */
  readonly localUrl: string;
  readonly env: Env;
  readonly posture: Posture;
  readonly tenants: readonly TenantConfig[];
  /** Present when any connector runs against a local sandbox. */
  readonly sandboxes?: Sandboxes;
  readonly banner: string;
  stop(): Promise<void>;
}

/**
 * The composition root: everything `npm start` runs, as one function so tests can start the whole
 * product in-process. With no configuration it is self-contained (embedded Postgres, in-process
 * queue and cache, the four sandboxes, the demo tenant); DATABASE_URL, REDIS_URL and TENANTS_FILE
 * switch to real services.
 */
export async function startSwitchboard(options: SwitchboardOptions = {}): Promise<Switchboard> {
  const startedAt = options.startedAt ?? Date.now();
  const envSource = options.envSource ?? process.env;
  const env = options.env ?? loadEnv(envSource);
  const logger = options.logger ?? createLogger({ level: env.LOG_LEVEL, pretty: env.LOG_PRETTY });
  const posture = postureOf(env, { ...(options.playground !== undefined ? { playground: options.playground } : {}), ...(options.host !== undefined ? { host: options.host } : {}) });
  const closers = new Closers(logger);
  try {
    const metrics = createMetrics({ defaultMetrics: true });
    const http = new HttpApp(logger, { closedUntilOpen: true, metrics: { requests: metrics.httpRequests, seconds: metrics.httpSeconds } });
    // Listen first: the real port is needed for OAuth redirect URIs. Until every route is mounted the
    // listener answers 503 (a 404 from a half-started server reads as a refusal to clients).
    const listening = await http.listen(options.port ?? env.PORT, posture.host);
    closers.add('http', () => http.close());
    const publicUrl = (env.PUBLIC_URL ?? listening.url).replace(/\/+$/, '');
    const tracing = options.tracing ?? createTracing({ env: envSource });
    if (!options.tracing) closers.add('tracing', () => tracing.shutdown());
    let runtimeReady = false;
    // Ready only between "every channel mounted and started" and the first shutdown step.
    let serving = false;

    const db = await openDatabase({ ...(env.DATABASE_URL ? { url: env.DATABASE_URL } : { embeddedDir: resolve(env.DATA_DIR, 'pglite') }), logger });
    closers.add('database', () => db.close());
    const infra = await createInfra({ ...(env.REDIS_URL ? { redisUrl: env.REDIS_URL } : {}), keyPrefix: options.redisKeyPrefix ?? env.REDIS_PREFIX, logger });
    closers.add('infra', () => infra.close());
    // Sign-in sessions (src/auth), shared by the operations view and the deployed playground.
    const sessions = new Sessions({ kv: infra.kv, prisma: db.prisma, secure: publicUrl.startsWith('https://') });

    const tenantsFile = await loadTenantsFile(env.TENANTS_FILE ?? exampleTenantsFilePath());
    const tenants = tenantsFile.tenants;
    // Approvals and runs waiting, today's spend against the caps: read from the store at each scrape.
    registerStateGauges(metrics.registry, { prisma: db.prisma, tenants });
    await syncTenants(db.prisma, tenantsFile);

    const usesSandbox = tenants.some((t) => t.connectors.some((c) => c.baseUrl === 'sandbox') || (t.sso?.issuer === 'sandbox' && posture.kind === 'embedded'));
    // The sandboxes' fault knobs and record views: the embedded default, or SANDBOX_ADMIN=true (fault and audit tests against a running product).
    const sandboxAdmin = env.SANDBOX_ADMIN ?? posture.kind === 'embedded';
    const sandboxes = usesSandbox ? await startSandboxes({ portsStart: options.sandboxPortsStart ?? env.SANDBOX_PORTS_START, admin: sandboxAdmin }) : undefined;
    if (sandboxes) closers.add('sandboxes', () => sandboxes.stop());

    const box = new SecretBox(await loadKeyRing({ ...(env.SWITCHBOARD_ENCRYPTION_KEYS ? { keys: env.SWITCHBOARD_ENCRYPTION_KEYS } : {}), ...(env.SWITCHBOARD_ENCRYPTION_KEY_ID ? { activeKeyId: env.SWITCHBOARD_ENCRYPTION_KEY_ID } : {}), nodeEnv: env.NODE_ENV, dataDir: env.DATA_DIR, logger }));
    const repositories = createRepositories(db.prisma, box);
    const connectors = createConnectorDirectory(tenants, {
      sandboxUrls: sandboxes?.urls ?? {},
      env: withSandboxServiceTokens(envSource, tenants, sandboxes),
      publicUrl,
    });
    const providers = (kind: keyof typeof CONNECTOR_MODULES) => CONNECTOR_MODULES[kind].oauth;
    const linking = new AccountLinkingService({ repositories, providers, connectors, logger, publicUrl, mappedAccount: mappedAccountsFrom(tenants) });
    const broker = new CredentialBroker({ accounts: repositories.accounts, providers, logger });

    const planners = new Map<string, Planner>();
    // One tokenizer and one breaker per provider endpoint for the whole process, not per tenant.
    const models = { tokens: createTokenCounter(), breakers: new BreakerRegistry(DEFAULT_RESILIENCE), env: envSource };
    const plannerFor = (tenant: TenantConfig): Planner => {
      let planner = planners.get(tenant.id);
      if (!planner) {
        planner = tracedPlanner(createPlanner({ tenant, models, kv: infra.kv, prisma: db.prisma, logger }));
        planners.set(tenant.id, planner);
      }
      return planner;
    };

    const playgroundTenant = tenants[0]!;
    // Deployed, the playground shares the sign-in session and acts only as that person.
    const web = posture.playground !== 'off' ? createWebChannel({
      gateway: { submit: (turn) => runtime.gateway.submit(turn), identify: (request) => runtime.gateway.identify(request) },
      events: { publish: (e) => runtime.events.publish(e), subscribe: (h) => runtime.events.subscribe(h) },
      approvals: {
        decide: (input) => runtime.approvals.decide(input),
        cancel: (input) => runtime.approvals.cancel?.(input) ?? Promise.resolve({ status: 'refused', code: 'unsupported', message: 'Cancelling is not available here.' }),
      },
      prisma: db.prisma,
      tenantId: playgroundTenant.id,
      http,
      logger,
      connectors: connectors.list(playgroundTenant.id).map((c) => ({ id: c.id, displayName: c.displayName })),
      startLink: (input) => linking.startLink(input),
      ...(posture.playground === 'signed-in' ? { signedIn: { find: (req) => sessions.find(req), refuseWrite: (req, session) => csrfRefusal(req, session, publicUrl) } } : {}),
    }) : undefined;

    const chatDirectories: Record<string, import('../gateway/gateway.js').PlatformDirectory> = {};
    // Tenant MCP servers: a server that is down is retried in the background, never fails startup.
    const mcp = new McpHub({ tenants, logger, env: (name) => envSource[name] });
    closers.add('mcp', () => mcp.stop());
    await mcp.start();
    const runtime = await createRuntime({
      db, infra, tenants, logger, metrics, liveTools: mcp, tracing,
      connectorModules: CONNECTOR_MODULES,
      connectorsFor: (tenant) => connectors.list(tenant.id),
      plannerFor,
      credentialsFor: (input) => broker.credentialsFor(input),
      linkUrl: async (input) => (await linking.startLink(input)).url,
      workers: env.WORKERS_PER_PROCESS,
      directories: {
        ...(web ? { web: web.directory } : {}),
        slack: { lookup: (u) => chatDirectories.slack?.lookup(u) ?? Promise.resolve(null) },
        teams: { lookup: (u) => chatDirectories.teams?.lookup(u) ?? Promise.resolve(null) },
      },
    });
    closers.add('engine', () => runtime.stop());

    const chat = createChatChannels({ env, posture, envSource, tenants, gateway: runtime.gateway, events: runtime.events, approvals: runtime.approvals, repositories, prisma: db.prisma, box, infra, http, logger, publicUrl });
    for (const channel of chat.channels) chatDirectories[channel.name] = channel.directory;

    mountHealthRoutes(http, {
      registry: metrics.registry,
      // /metrics needs METRICS_TOKEN; without one it answers loopback callers only, and only in the embedded default.
      metrics: { ...(env.METRICS_TOKEN ? { token: env.METRICS_TOKEN } : {}), loopbackWithoutToken: posture.kind === 'embedded' },
      checks: {
        database: async () => (await db.pool.query('SELECT 1')).rowCount === 1,
        cache: () => infra.ping(),
        queue: async () => runtimeReady && (await runtime.queueReachable()),
        channels: async () => serving,
      },
    });
    const linkPages = { secureCookies: publicUrl.startsWith('https://'), basePath: basePathOf(publicUrl) };
    http.route('GET', '/link/start', linkStartPage(linking, linkPages));
    http.route('POST', '/link/start', linkStartSubmit(linking, { ...linkPages, logger }));
    http.route('GET', '/oauth/callback/:connectorId', oauthCallbackHandler(linking, (link) => runtime.onAccountLinked(link), logger, linkPages));
    // The sandbox IdP lets anyone pick who they are: only in the embedded default.
    const signInMethods = new SignInMethods({ tenants, env: envSource, sandboxIssuer: sandboxes?.okta.url, allowSandboxIdp: posture.kind === 'embedded', publicUrl, logger });
    mountAuthRoutes(http, { prisma: db.prisma, kv: infra.kv, rateLimiter: infra.rateLimiter, logger, sessions, methods: signInMethods, tenants, publicUrl });
    await mountOpsRoutes(http, {
      prisma: db.prisma,
      logger,
      sessions,
      publicUrl,
      tenants: (id) => tenants.find((t) => t.id === id),
      replayDeadLetter: (tenantId, id) => runtime.replayDeadLetter(tenantId, id),
    });

    // SCIM 2.0 provisioning from the tenants' IdPs (issue 16): the bearer token names the tenant.
    const scimPush = prepareSandboxScimPush({ enabled: env.SANDBOX_SCIM_PUSH, sandboxes, tenants, env: envSource, logger });
    const scimTokens = new ScimTokens(tenants, scimPush.env, (tenantId, variable) => logger.error({ tenantId, variable }, 'scim: the token hash must be "sha256:<64 hex>" (npm run -s scim-token); SCIM stays off for this tenant'));
    mountScimRoutes(http, { prisma: db.prisma, tenants: (id) => tenants.find((t) => t.id === id), tokens: scimTokens, publicUrl, logger });
    scimPush.connect(listening.url);

    await runtime.start();
    runtimeReady = true;
    if (web) {
      await web.start();
      closers.add('web', () => web.stop());
    }
    for (const channel of chat.channels) {
      await channel.start();
      closers.add(channel.name, () => channel.stop());
    }
    http.open();
    serving = true;
    // Closers run in reverse: /readyz turns 503 before any channel stops or the listener closes.
    const drainMs = options.shutdownDrainMs ?? (posture.kind === 'deployed' ? 2000 : 0);
    closers.add('readiness', async () => {
      serving = false;
      if (drainMs > 0) await new Promise((resolve) => setTimeout(resolve, drainMs));
    });

    const housekeeping = startOAuthStateHousekeeping(repositories, tenants, logger);
    closers.add('housekeeping', async () => clearInterval(housekeeping));

    const autolinkOn = sandboxes !== undefined && (options.autolink ?? env.DEMO_AUTOLINK);
    // Twenty "account linked" lines are routine here: debug level, so the banner stays on the first screen.
    const autolink = autolinkOn ? await asRoutine(logger, () => autolinkDemoAccounts({ tenants, linking, repositories, logger })) : undefined;

    const admins = await db.prisma.user.findMany({ where: { roles: { has: OPS_ADMIN_ROLE }, deactivatedAt: null }, select: { tenantId: true, email: true }, orderBy: { email: 'asc' } });
    const banner = renderBanner({
      posture: describePosture(posture),
      url: publicUrl,
      database: db.kind === 'embedded' ? `embedded PGlite in ${join(env.DATA_DIR, 'pglite')} (set DATABASE_URL for PostgreSQL)` : `PostgreSQL ${redactUrl(db.url)}`,
      cache: infra.kind === 'redis' ? `Redis ${redactUrl(env.REDIS_URL ?? '')}` : 'in-process (set REDIS_URL for Redis)',
      queue: `${runtime.queueKind}, ${env.WORKERS_PER_PROCESS} workers`,
      planner: env.OPENAI_API_KEY || env.OPENAI_BASE_URL ? `tier 0 + model tiers (${env.OPENAI_BASE_URL ?? 'OpenAI'})` : 'tier 0 (deterministic; set OPENAI_API_KEY or OPENAI_BASE_URL for model tiers)',
      tenants: tenants.map((t) => [`${t.id} (${t.name})`, mcp.describe(t.id)].filter(Boolean).join(' · ')),
      ...(sandboxes ? { sandboxes: sandboxes.urls } : {}),
      ...(autolink ? { autolink: `${autolink.linked} linked now, ${autolink.alreadyLinked} already linked${autolink.failed ? `, ${autolink.failed} failed (see log)` : ''}` } : sandboxes ? { autolink: 'skipped (DEMO_AUTOLINK=false)' } : {}),
      slack: chat.channels.find((c) => c.name === 'slack')?.summary ?? chat.skipped.slack,
      teams: chat.channels.find((c) => c.name === 'teams')?.summary ?? chat.skipped.teams,
      playground: posture.playground,
      signIn: signInSummary(tenants, signInMethods, admins),
      startupMs: Date.now() - startedAt,
    });
    if (options.printBanner) process.stdout.write(banner);
    return { url: publicUrl, localUrl: listening.url, env, posture, tenants, ...(sandboxes ? { sandboxes } : {}), banner, stop: () => closers.closeAll() };
  } catch (error) {
    await closers.closeAll();
    throw error;
  }
}

/** Account-link states are single-use and short-lived; an hour past expiry they only take space. */
function startOAuthStateHousekeeping(repositories: ReturnType<typeof createRepositories>, tenants: readonly TenantConfig[], logger: Logger): NodeJS.Timeout {
  const purge = async (): Promise<void> => {
    const before = new Date(Date.now() - 60 * 60 * 1000);
    for (const tenant of tenants) {
      const removed = await repositories.oauthStates.purgeExpired(tenant.id, before).catch((error: unknown) => {
        logger.warn({ err: error, tenantId: tenant.id }, 'purging expired account-link states failed');
        return 0;
      });
      if (removed > 0) logger.info({ tenantId: tenant.id, removed }, 'expired account-link states purged');
    }
  };
  const timer = setInterval(() => void purge(), 15 * 60 * 1000);
  timer.unref();
  return timer;
}

/** In sandbox mode the Okta sandbox mints the tenant's service token; a real one from the environment wins. */
function withSandboxServiceTokens(source: Readonly<Record<string, string | undefined>>, tenants: readonly TenantConfig[], sandboxes: Sandboxes | undefined): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...source };
  if (!sandboxes) return env;
  for (const tenant of tenants) {
    for (const c of tenant.connectors) {
      if (c.baseUrl === 'sandbox' && c.kind === 'okta' && c.serviceTokenEnv && !env[c.serviceTokenEnv]) env[c.serviceTokenEnv] = sandboxes.okta.serviceToken;
    }
  }
  return env;
}

function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(invalid URL)';
  }
}
