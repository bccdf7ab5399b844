import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { loadEnv, type Env } from '../config/env.js';
import { exampleTenantsFilePath, loadTenantsFile } from '../config/tenantsFile.js';
import type { TenantConfig } from '../config/tenantConfig.js';
import { createLogger, type Logger } from '../core/logger.js';
import { HttpApp } from '../http/httpApp.js';
import { createInfra } from '../infra/createInfra.js';
import { createMetrics } from '../observability/metrics.js';
import { openDatabase } from '../store/database.js';
import { loadKeyRing, SecretBox } from '../store/crypto/index.js';
import { createRepositories, syncTenants } from '../store/repositories/index.js';
import { AccountLinkingService, CredentialBroker, createConnectorDirectory, oauthCallbackHandler } from '../linking/index.js';
import { createPlanner } from '../planner/createPlanner.js';
import { BreakerRegistry, DEFAULT_RESILIENCE } from '../models/resilience.js';
import { createTokenCounter } from '../models/tokenCounter.js';
import { createWebChannel } from '../channels/web/index.js';
import { mountHealthRoutes } from '../ops/healthRoutes.js';
import { mountOpsRoutes, OPS_ADMIN_ROLE } from '../ops/opsRoutes.js';
import type { Planner } from '../planner/planner.js';
import { renderBanner } from './banner.js';
import { createChatChannels } from './chatChannels.js';
import { Closers } from './closers.js';
import { CONNECTOR_MODULES } from './connectorModules.js';
import { autolinkDemoAccounts } from './demoAutolink.js';
import { createRuntime } from './engineRuntime.js';
import { startSandboxes, type Sandboxes } from './sandboxes.js';

export interface SwitchboardOptions {
  /** Parsed environment; loadEnv(envSource) when omitted. */
  readonly env?: Env;
  /** Where secrets named by the tenants file are read (process.env by default). */
  readonly envSource?: Readonly<Record<string, string | undefined>>;
  readonly logger?: Logger;
  /** Overrides PORT; 0 picks a free port (tests). */
  readonly port?: number;
  readonly host?: string;
  /** Overrides SANDBOX_PORTS_START; 0 picks free ports (tests). */
  readonly sandboxPortsStart?: number;
  /** Overrides DEMO_AUTOLINK. */
  readonly autolink?: boolean;
  /** Redis key prefix (tests isolate themselves with a unique one). */
  readonly redisKeyPrefix?: string;
  /** The web playground; on by default outside production, never on in production. */
  readonly playground?: boolean;
  /** Print the startup block (main.ts does; tests do not). */
  readonly printBanner?: boolean;
  readonly startedAt?: number;
}

export interface Switchboard {
  readonly url: string;
  readonly env: Env;
  readonly tenants: readonly TenantConfig[];
  readonly adminPassword: string;
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
  const closers = new Closers(logger);
  try {
    const http = new HttpApp(logger);
    // Listen first: the real port is needed for OAuth redirect URIs, and /healthz answers during startup.
    const listening = await http.listen(options.port ?? env.PORT, options.host);
    closers.add('http', () => http.close());
    const publicUrl = (env.PUBLIC_URL ?? listening.url).replace(/\/+$/, '');
    const metrics = createMetrics({ defaultMetrics: true });
    let runtimeReady = false;

    const db = await openDatabase({ ...(env.DATABASE_URL ? { url: env.DATABASE_URL } : { embeddedDir: resolve(env.DATA_DIR, 'pglite') }), logger });
    closers.add('database', () => db.close());
    const infra = await createInfra({ ...(env.REDIS_URL ? { redisUrl: env.REDIS_URL } : {}), keyPrefix: options.redisKeyPrefix ?? 'sb:', logger });
    closers.add('infra', () => infra.close());

    const tenantsFile = await loadTenantsFile(env.TENANTS_FILE ?? exampleTenantsFilePath());
    const tenants = tenantsFile.tenants;
    await syncTenants(db.prisma, tenantsFile);

    const usesSandbox = tenants.some((t) => t.connectors.some((c) => c.baseUrl === 'sandbox'));
    const sandboxes = usesSandbox ? await startSandboxes({ portsStart: options.sandboxPortsStart ?? env.SANDBOX_PORTS_START }) : undefined;
    if (sandboxes) closers.add('sandboxes', () => sandboxes.stop());

    const box = new SecretBox(await loadKeyRing({ ...(env.SWITCHBOARD_ENCRYPTION_KEYS ? { keys: env.SWITCHBOARD_ENCRYPTION_KEYS } : {}), ...(env.SWITCHBOARD_ENCRYPTION_KEY_ID ? { activeKeyId: env.SWITCHBOARD_ENCRYPTION_KEY_ID } : {}), nodeEnv: env.NODE_ENV, dataDir: env.DATA_DIR, logger }));
    const repositories = createRepositories(db.prisma, box);
    const connectors = createConnectorDirectory(tenants, {
      sandboxUrls: sandboxes?.urls ?? {},
      env: withSandboxServiceTokens(envSource, tenants, sandboxes),
      publicUrl,
    });
    const providers = (kind: keyof typeof CONNECTOR_MODULES) => CONNECTOR_MODULES[kind].oauth;
    const linking = new AccountLinkingService({ repositories, providers, connectors, logger });
    const broker = new CredentialBroker({ accounts: repositories.accounts, providers, logger });

    const planners = new Map<string, Planner>();
    // One tokenizer and one breaker per provider endpoint for the whole process, not per tenant.
    const models = { tokens: createTokenCounter(), breakers: new BreakerRegistry(DEFAULT_RESILIENCE), env: envSource };
    const plannerFor = (tenant: TenantConfig): Planner => {
      let planner = planners.get(tenant.id);
      if (!planner) {
        planner = createPlanner({ tenant, models, kv: infra.kv, prisma: db.prisma, logger });
        planners.set(tenant.id, planner);
      }
      return planner;
    };

    const playgroundTenant = tenants[0]!;
    const playgroundOn = env.NODE_ENV !== 'production' && (options.playground ?? true);
    const web = playgroundOn ? createWebChannel({
      gateway: { submit: (turn) => runtime.gateway.submit(turn), identify: (request) => runtime.gateway.identify(request) },
      events: { publish: (e) => runtime.events.publish(e), subscribe: (h) => runtime.events.subscribe(h) },
      approvals: { decide: (input) => runtime.approvals.decide(input) },
      prisma: db.prisma,
      tenantId: playgroundTenant.id,
      http,
      logger,
      connectors: connectors.list(playgroundTenant.id).map((c) => ({ id: c.id, displayName: c.displayName })),
      startLink: (input) => linking.startLink(input),
    }) : undefined;

    const chatDirectories: Record<string, import('../gateway/gateway.js').PlatformDirectory> = {};
    const runtime = await createRuntime({
      db, infra, tenants, logger, metrics,
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

    const chat = createChatChannels({ env, envSource, tenants, gateway: runtime.gateway, events: runtime.events, approvals: runtime.approvals, repositories, prisma: db.prisma, box, infra, http, logger, publicUrl });
    for (const channel of chat.channels) chatDirectories[channel.name] = channel.directory;

    const adminPassword = env.ADMIN_PASSWORD ?? randomBytes(12).toString('base64url');
    mountHealthRoutes(http, {
      registry: metrics.registry,
      checks: {
        database: async () => (await db.pool.query('SELECT 1')).rowCount === 1,
        cache: () => infra.ping(),
        queue: async () => runtimeReady && (await runtime.queueReachable()),
      },
    });
    http.route('GET', '/oauth/callback/:connectorId', oauthCallbackHandler(linking, (link) => runtime.onAccountLinked(link), logger));
    await mountOpsRoutes(http, {
      prisma: db.prisma,
      kv: infra.kv,
      logger,
      adminPassword,
      tenants: (id) => tenants.find((t) => t.id === id),
      replayDeadLetter: (tenantId, id) => runtime.replayDeadLetter(tenantId, id),
      secureCookies: publicUrl.startsWith('https://'),
    });

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

    const housekeeping = startOAuthStateHousekeeping(repositories, tenants, logger);
    closers.add('housekeeping', async () => clearInterval(housekeeping));

    const autolinkOn = sandboxes !== undefined && (options.autolink ?? env.DEMO_AUTOLINK);
    const autolink = autolinkOn ? await autolinkDemoAccounts({ tenants, linking, repositories, logger }) : undefined;

    const admins = await db.prisma.user.findMany({ where: { roles: { has: OPS_ADMIN_ROLE } }, select: { email: true }, orderBy: { email: 'asc' } });
    const banner = renderBanner({
      url: publicUrl,
      database: db.kind === 'embedded' ? `embedded PGlite in ${join(env.DATA_DIR, 'pglite')} (set DATABASE_URL for PostgreSQL)` : `PostgreSQL ${redactUrl(db.url)}`,
      cache: infra.kind === 'redis' ? `Redis ${redactUrl(env.REDIS_URL ?? '')}` : 'in-process (set REDIS_URL for Redis)',
      queue: `${runtime.queueKind}, ${env.WORKERS_PER_PROCESS} workers`,
      planner: env.OPENAI_API_KEY || env.OPENAI_BASE_URL ? `tier 0 + model tiers (${env.OPENAI_BASE_URL ?? 'OpenAI'})` : 'tier 0 (deterministic; set OPENAI_API_KEY or OPENAI_BASE_URL for model tiers)',
      tenants: tenants.map((t) => `${t.id} (${t.name})`),
      ...(sandboxes ? { sandboxes: sandboxes.urls } : {}),
      ...(autolink ? { autolink: `${autolink.linked} linked now, ${autolink.alreadyLinked} already linked${autolink.failed ? `, ${autolink.failed} failed (see log)` : ''}` } : sandboxes ? { autolink: 'skipped (DEMO_AUTOLINK=false)' } : {}),
      slack: chat.channels.find((c) => c.name === 'slack')?.summary ?? chat.skipped.slack,
      teams: chat.channels.find((c) => c.name === 'teams')?.summary ?? chat.skipped.teams,
      playground: web !== undefined,
      adminPassword: { value: adminPassword, generated: env.ADMIN_PASSWORD === undefined },
      adminEmails: admins.map((a) => a.email),
      startupMs: Date.now() - startedAt,
    });
    if (options.printBanner) process.stdout.write(banner);
    return { url: publicUrl, env, tenants, adminPassword, ...(sandboxes ? { sandboxes } : {}), banner, stop: () => closers.closeAll() };
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
