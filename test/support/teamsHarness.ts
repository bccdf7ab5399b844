import { randomBytes } from 'node:crypto';
import { createLogger, type Logger } from '../../src/core/logger.js';
import { HttpApp } from '../../src/http/httpApp.js';
import { createInfra } from '../../src/infra/createInfra.js';
import type { Infra } from '../../src/infra/infra.js';
import type { Gateway, SubmitResult } from '../../src/gateway/gateway.js';
import type { Turn } from '../../src/gateway/turn.js';
import { PlatformIdentityRepository, UserRepository } from '../../src/store/repositories/index.js';
import { createTeamsChannel, platformIdentityReferenceStore, type TeamsChannel, type TeamsChannelDeps, type TeamsSettings } from '../../src/channels/teams/index.js';
import { InProcessBus, RecordingGateway, TestApprovalDecider } from '../channels/slack/support/testParts.js';
import { createTestDatabase } from './database.js';
import { startFakeBotConnector, type FakeBotConnector } from './fakeBotConnector.js';
import type { TeamsPerson } from './teamsActivities.js';

export const ENTRA_TENANT = '11111111-2222-3333-4444-555555555555';
export const OTHER_ENTRA_TENANT = '99999999-8888-7777-6666-555555555555';
export const TENANT = 'acme';

/** Seeded randomness for retry jitter, so runs repeat exactly. */
export function seededRandom(seed = 42): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

export function testSettings(overrides: Partial<TeamsSettings> = {}): TeamsSettings {
  return {
    auth: { mode: 'anonymous' },
    production: false,
    streamIntervalMs: 10,
    minEditIntervalMs: 30,
    retry: { maxAttempts: 4, baseDelayMs: 10, maxDelayMs: 50 },
    profileCacheTtlMs: 60_000,
    ...overrides,
  };
}

export interface TeamsHarness {
  readonly connector: FakeBotConnector;
  readonly http: HttpApp;
  readonly messagesUrl: string;
  readonly recorder: RecordingGateway;
  readonly bus: InProcessBus;
  readonly decider: TestApprovalDecider;
  readonly channel: TeamsChannel;
  readonly infra: Infra;
  readonly logger: Logger;
  readonly users: UserRepository;
  readonly identities: PlatformIdentityRepository;
  /** Creates a tenant user and its Teams identity (optionally with no stored chat yet). */
  addPerson(person: TeamsPerson & { email: string }, options?: { withPersonalChat?: boolean }): Promise<string>;
  close(): Promise<void>;
}

/**
 * A running HttpApp with the Teams channel mounted, replies going to a fake Bot Connector, kv on
 * real Redis (unique prefix) and conversation references in a fresh Postgres database. The gateway,
 * bus and decider are the small contract-keeping stand-ins shared with the Slack tests.
 */
export async function startTeamsHarness(settings: Partial<TeamsSettings> = {}, deps: Partial<TeamsChannelDeps> = {}): Promise<TeamsHarness> {
  const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'silent' });
  const connector = await startFakeBotConnector();
  const database = await createTestDatabase({ logger });
  const infra = await createInfra({ redisUrl: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379', keyPrefix: `sbtest:teams:${randomBytes(6).toString('hex')}:`, logger });
  const http = new HttpApp(logger);
  const recorder = new RecordingGateway();
  const users = new UserRepository(database.db.prisma);
  const identities = new PlatformIdentityRepository(database.db.prisma);
  const byAad = new Map<string, string>();
  // The stand-in gateway answers with the real tenant user, as the engine's gateway would.
  const gateway: Gateway = {
    async submit(turn: Turn): Promise<SubmitResult> {
      const result = await recorder.submit(turn);
      const userId = byAad.get(turn.platformUser.externalId);
      if (result.status !== 'accepted') return result;
      if (!userId) return { status: 'refused', code: 'unknown_user', message: 'I do not know you yet. Ask your IT team to add you to Switchboard.' };
      return { ...result, userId };
    },
    async identify(request) {
      const userId = byAad.get(request.platformUser.externalId);
      return userId ? { userId } : null;
    },
  };
  const bus = new InProcessBus();
  const decider = new TestApprovalDecider();
  const channel = createTeamsChannel({
    settings: testSettings(settings),
    gateway,
    events: bus,
    approvals: decider,
    identity: async (entra, aad) => (entra === ENTRA_TENANT && byAad.has(aad) ? { tenantId: TENANT, userId: byAad.get(aad)! } : null),
    tenantLookup: (entra) => (entra === ENTRA_TENANT ? TENANT : null),
    defaultTenantId: TENANT,
    references: platformIdentityReferenceStore(identities),
    kv: infra.kv,
    logger,
    http,
    random: seededRandom(),
    eventLog: bus.log,
    ...deps,
  });
  await channel.start();
  const { url } = await http.listen(0, '127.0.0.1');
  return {
    connector, http, recorder, bus, decider, channel, infra, logger, users, identities,
    messagesUrl: `${url}/api/messages`,
    async addPerson(person, options = {}) {
      const user = await users.upsert(TENANT, { email: person.email, displayName: person.name });
      byAad.set(person.aadObjectId, user.id);
      connector.addMember({ id: person.id, aadObjectId: person.aadObjectId, name: person.name, email: person.email, userPrincipalName: person.email });
      const reference = options.withPersonalChat
        ? { channelId: 'msteams', serviceUrl: connector.url, conversation: { id: `a:dm-${person.aadObjectId}`, conversationType: 'personal', tenantId: ENTRA_TENANT }, agent: { id: '28:switchboard-bot', name: 'Switchboard' }, user: { id: person.id, name: person.name, aadObjectId: person.aadObjectId } }
        : undefined;
      await identities.link(TENANT, { platform: 'teams', teamId: ENTRA_TENANT, externalId: person.aadObjectId, userId: user.id, ...(reference ? { address: reference } : {}) });
      return user.id;
    },
    async close() {
      await channel.stop();
      await http.close();
      await infra.close();
      await connector.stop();
      await database.drop();
    },
  };
}
