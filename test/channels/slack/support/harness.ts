import { randomBytes } from 'node:crypto';
import { createLogger, type Logger } from '../../../../src/core/logger.js';
import { HttpApp } from '../../../../src/http/httpApp.js';
import { createInfra } from '../../../../src/infra/createInfra.js';
import type { Infra } from '../../../../src/infra/infra.js';
import { createSlackChannel, type SlackChannel, type SlackChannelDeps } from '../../../../src/channels/slack/index.js';
import type { SlackSettings } from '../../../../src/channels/slack/index.js';
import { startFakeSlackApi, type FakeSlackApi } from '../../../support/fakeSlackApi.js';
import { InProcessBus, RecordingGateway, TestApprovalDecider } from './testParts.js';

export const SIGNING_SECRET = 'test-signing-secret-0123456789';
export const TENANT = 'acme';
export const TEAM = 'T0SWITCH';
export const OTHER_TEAM = 'T0OTHER';
export const OTHER_TENANT = 'globex';

export interface Harness {
  readonly slack: FakeSlackApi;
  readonly http: HttpApp;
  readonly eventsUrl: string;
  readonly gateway: RecordingGateway;
  readonly bus: InProcessBus;
  readonly decider: TestApprovalDecider;
  readonly channel: SlackChannel;
  readonly infra: Infra;
  readonly logger: Logger;
  /** Slack user id → tenant user, for the identity resolver. */
  readonly people: Map<string, { tenantId: string; userId: string }>;
  close(): Promise<void>;
}

/** A running HttpApp with the Slack channel mounted, pointed at a fake Slack API, on real Redis. */
export async function startHarness(overrides: Partial<SlackSettings> = {}, deps: Partial<SlackChannelDeps> = {}): Promise<Harness> {
  const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'silent' });
  const slack = await startFakeSlackApi({ teamId: TEAM });
  const infra = await createInfra({ redisUrl: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379', keyPrefix: `sbtest:slack:${randomBytes(6).toString('hex')}:`, logger });
  const http = new HttpApp(logger);
  const gateway = new RecordingGateway();
  const bus = new InProcessBus();
  const decider = new TestApprovalDecider();
  const people = new Map<string, { tenantId: string; userId: string }>();
  const settings: SlackSettings = {
    mode: 'single',
    botToken: 'xoxb-test-token',
    signingSecret: SIGNING_SECRET,
    apiUrl: slack.url,
    tenantId: TENANT,
    minEditIntervalMs: 200,
    minStreamIntervalMs: 20,
    profileCacheTtlMs: 60_000,
    ...overrides,
  };
  const channel = createSlackChannel({
    settings,
    gateway,
    events: bus,
    approvals: decider,
    identity: async (_teamId, slackUserId) => people.get(slackUserId) ?? null,
    tenantLookup: (teamId) => (teamId === TEAM ? TENANT : teamId === OTHER_TEAM ? OTHER_TENANT : null),
    kv: infra.kv,
    logger,
    http,
    eventLog: bus.log,
    ...deps,
  });
  gateway.directory = channel.directory;
  await channel.start();
  const { url } = await http.listen(0, '127.0.0.1');
  return {
    slack, http, gateway, bus, decider, channel, infra, logger, people,
    eventsUrl: `${url}/slack/events`,
    async close() {
      await channel.stop();
      await http.close();
      await infra.close();
      await slack.stop();
    },
  };
}
