/**
 * END-TO-END ACCEPTANCE (against the REAL engine runtime).
 *
 * A DM "reset my okta password" from ada → ack < 3 s (printed) → status and streamed plan in her
 * thread → approval DM to grace → grace's signed block_actions → grace's message updated in place →
 * the result in ada's thread, with the Okta sandbox showing exactly one password reset.
 *
 * PENDING: the engine runtime (`createEngineRuntime` in src/engine/), the store's tenant sync and
 * the planner were not in the tree when this adapter was finished. The modules are loaded
 * dynamically, and the test is skipped (and says so) until they exist; the composition below follows
 * the runtime's documented factory shape and may need small adjustments when it lands.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger } from '../../../src/core/logger.js';
import { HttpApp } from '../../../src/http/httpApp.js';
import { createInfra } from '../../../src/infra/createInfra.js';
import { createSlackChannel } from '../../../src/channels/slack/index.js';
import type { Gateway } from '../../../src/gateway/gateway.js';
import type { RunEventBus } from '../../../src/events/eventBus.js';
import type { ApprovalDecider } from '../../../src/engine/approvalDecider.js';
import { startFakeSlackApi } from '../../support/fakeSlackApi.js';
import { messageEnvelope, postSlackEvent, postSlackInteraction } from '../../support/slackSigning.js';
import { clickPayload } from './support/clicks.js';

const root = join(import.meta.dirname, '..', '..', '..');
const RUNTIME = join(root, 'src/engine/runtime.ts');
const runtimeReady = existsSync(RUNTIME) || existsSync(join(root, 'src/engine/createEngineRuntime.ts'));
const SIGNING_SECRET = 'e2e-signing-secret';
const TEAM = 'T0ACME';

interface EngineRuntime {
  gateway: Gateway;
  approvals: ApprovalDecider;
  events: RunEventBus;
  start(): Promise<void>;
  stop(): Promise<void>;
}

interface TestDb {
  db: { prisma: unknown };
  drop(): Promise<void>;
}
interface DatabaseModule {
  createTestDatabase(): Promise<TestDb>;
}
interface OktaSandboxHandle {
  url: string;
  serviceToken: string;
  state: { count(type: string, userId?: string): number };
  user(email: string): { id: string };
  stop(): Promise<void>;
}
interface OktaModule {
  startOktaSandbox(): Promise<OktaSandboxHandle>;
}

// Module paths are computed so the type checker does not require modules that are still being written.
const load = async <T>(relative: string): Promise<T> => (await import(join(root, relative))) as T;

(runtimeReady ? test : test.skip)('PENDING real runtime: DM → plan → approval DM → signed approve → one Okta reset → result in thread', async () => {
  const logger = createLogger({ level: 'silent' });
  const { createTestDatabase } = await load<DatabaseModule>('test/support/database.ts');
  const { startOktaSandbox } = await load<OktaModule>('connectors/okta/sandbox/index.ts');
  const engineModule = await load<Record<string, unknown>>(existsSync(RUNTIME) ? 'src/engine/runtime.ts' : 'src/engine/createEngineRuntime.ts');
  const createEngineRuntime = engineModule.createEngineRuntime as (deps: Record<string, unknown>) => Promise<EngineRuntime>;

  const database = await createTestDatabase();
  const okta = await startOktaSandbox();
  const slack = await startFakeSlackApi({ teamId: TEAM });
  const infra = await createInfra({ redisUrl: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379', keyPrefix: `sbtest:e2e:${randomBytes(6).toString('hex')}:`, logger });
  slack.addUser({ id: 'U0ADA', teamId: TEAM, email: 'ada@acme.test', name: 'Ada Lovelace' });
  slack.addUser({ id: 'U0GRACE', teamId: TEAM, email: 'grace@acme.test', name: 'Grace Hopper' });
  const tenants = {
    tenants: [{
      id: 'acme', name: 'Acme', slack: { teamIds: [TEAM] },
      users: [
        { email: 'ada@acme.test', displayName: 'Ada Lovelace', managerEmail: 'grace@acme.test', slackUserId: 'U0ADA' },
        { email: 'grace@acme.test', displayName: 'Grace Hopper', roles: ['manager', 'approver'], slackUserId: 'U0GRACE' },
      ],
      connectors: [{ id: 'okta', kind: 'okta', baseUrl: okta.url, serviceTokenEnv: 'E2E_OKTA_SERVICE_TOKEN' }],
      router: { forceTier: 'deterministic' },
    }],
  };
  process.env.E2E_OKTA_SERVICE_TOKEN = okta.serviceToken;
  const runtime = await createEngineRuntime({ db: database.db, infra, tenants, logger, workers: 1, linkUrl: () => 'http://127.0.0.1:1/link' });
  const http = new HttpApp(logger);
  const channel = createSlackChannel({
    settings: { mode: 'single', botToken: 'xoxb-e2e', signingSecret: SIGNING_SECRET, apiUrl: slack.url, tenantId: 'acme', minEditIntervalMs: 200, minStreamIntervalMs: 20, profileCacheTtlMs: 60_000 },
    gateway: runtime.gateway,
    events: runtime.events,
    approvals: runtime.approvals,
    identity: async (_team, slackUserId) => (slackUserId === 'U0GRACE' || slackUserId === 'U0ADA' ? { tenantId: 'acme', userId: await userIdOf(database.db.prisma, slackUserId === 'U0ADA' ? 'ada@acme.test' : 'grace@acme.test') } : null),
    tenantLookup: (teamId) => (teamId === TEAM ? 'acme' : null),
    kv: infra.kv,
    logger,
    http,
  });
  try {
    await runtime.start();
    await channel.start();
    const { url } = await http.listen(0, '127.0.0.1');
    const envelope = messageEnvelope({ teamId: TEAM, user: 'U0ADA', text: 'reset my okta password', channel: 'D0ADA' });
    const ack = await postSlackEvent(`${url}/slack/events`, SIGNING_SECRET, envelope);
    expect(ack.status).toBe(200);
    console.log(`e2e ack latency: ${ack.ms.toFixed(1)} ms (must be < 3000)`);

    await slack.waitForCall('assistant.threads.setStatus', (c) => c.args.channel_id === 'D0ADA', 15_000);
    await slack.waitForCall('chat.startStream', (c) => c.args.channel === 'D0ADA', 15_000);
    await slack.waitForCall('chat.postMessage', (c) => c.args.channel === 'U0GRACE', 15_000);
    const dm = slack.messages(slack.dmChannelOf('U0GRACE'))[0]!;
    expect(okta.state.count('user.account.reset_password', okta.user('ada@acme.test').id)).toBe(0);

    const click = await postSlackInteraction(`${url}/slack/events`, SIGNING_SECRET, clickPayload({ userId: 'U0GRACE', teamId: TEAM, message: dm, actionId: 'switchboard_approve' }));
    expect(click.status).toBe(200);
    await slack.waitForCall('chat.update', (c) => c.args.channel === dm.channel && c.args.ts === dm.ts, 15_000);
    expect(JSON.stringify(slack.message(dm.channel, dm.ts)?.blocks)).toContain('Approved by <@U0GRACE>');

    await slack.waitForCall('chat.stopStream', (c) => c.args.channel === 'D0ADA', 30_000);
    await channel.idle();
    const thread = slack.messages('D0ADA').find((m) => m.streaming === 'stopped');
    expect(thread?.text).toMatch(/password/i);
    expect(okta.state.count('user.account.reset_password', okta.user('ada@acme.test').id)).toBe(1);
  } finally {
    await channel.stop();
    await http.close();
    await runtime.stop();
    await infra.close();
    await slack.stop();
    await okta.stop();
    await database.drop();
  }
});

async function userIdOf(prisma: unknown, email: string): Promise<string> {
  const users = (prisma as { user: { findFirst(args: unknown): Promise<{ id: string } | null> } }).user;
  const user = await users.findFirst({ where: { tenantId: 'acme', email } });
  if (!user) throw new Error(`no tenant user ${email}`);
  return user.id;
}

if (!runtimeReady) {
  test('e2e acceptance is pending the real engine runtime (see the skipped test above)', () => {
    expect(runtimeReady).toBe(false);
  });
}
