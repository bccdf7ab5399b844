import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { PrismaRunEventLog } from '../../src/events/runEventLog.js';
import { RunEventsTable } from '../../src/engine/persistence/runEventsTable.js';
import type { RunEvent } from '../../src/events/runEvent.js';
import { RunEventPublisher } from '../../src/events/runEventPublisher.js';
import type { RunEventBus } from '../../src/events/eventBus.js';
import { createLogger } from '../../src/core/logger.js';
import { eventually } from '../app/support/product.js';

/** The stored log the channels catch up from, on real PostgreSQL. */
let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

test('open runs of a channel with their newest stored seq, and every event after a seq in order', async () => {
  const prisma = database.db.prisma;
  await prisma.tenant.create({ data: { id: 'acme', name: 'Acme', config: {} } });
  const user = await prisma.user.create({ data: { tenantId: 'acme', email: 'ada@acme.test', displayName: 'Ada' } });
  const conversation = await prisma.conversation.create({ data: { tenantId: 'acme', channel: 'slack', externalId: 'C1:1', address: {} } });
  const mk = (status: string, deliveryId: string, channel = 'slack') => prisma.run.create({ data: { tenantId: 'acme', conversationId: conversation.id, userId: user.id, channel, deliveryId, status, input: 'x', reply: {}, caps: {} } });
  const waiting = await mk('awaiting_approval', 'd1');
  const oldDone = await mk('completed', 'd2');
  const teams = await mk('executing', 'd3', 'teams');
  await prisma.$executeRaw`UPDATE runs SET updated_at = now() - interval '2 hours' WHERE id = ${oldDone.id}::uuid`;
  const table = new RunEventsTable(prisma);
  for (const run of [waiting, oldDone, teams]) {
    for (const text of ['a', 'b', 'c']) {
      await table.append('acme', run.id, (seq, at) => ({ runId: run.id, tenantId: 'acme', conversationId: conversation.id, userId: user.id, reply: { channel: run.channel as 'slack', address: {} }, seq, at, type: 'message.delta', text }) as RunEvent);
    }
  }
  const log = new PrismaRunEventLog(prisma);
  expect(await log.openRuns('slack', 15 * 60 * 1000)).toEqual([{ tenantId: 'acme', runId: waiting.id, lastSeq: 3 }]);
  const since = await log.eventsSince('acme', waiting.id, 1);
  expect(since.map((e) => e.seq)).toEqual([2, 3]);
  expect(await log.eventsSince('globex', waiting.id, 0)).toEqual([]);
});

test('a failed publish is retried: the event is stored first and delivered once the bus answers again', async () => {
  const prisma = database.db.prisma;
  const user = await prisma.user.findFirstOrThrow({ where: { tenantId: 'acme' } });
  const conversation = await prisma.conversation.findFirstOrThrow({ where: { tenantId: 'acme' } });
  const run = await prisma.run.create({ data: { tenantId: 'acme', conversationId: conversation.id, userId: user.id, channel: 'slack', deliveryId: 'd-retry', status: 'executing', input: 'x', reply: {}, caps: {} } });
  const delivered: RunEvent[] = [];
  let failures = 2;
  // Redis refusing the first two PUBLISH calls (a reconnect), then answering.
  const bus: RunEventBus = {
    publish: async (event) => {
      if (failures > 0) {
        failures -= 1;
        throw new Error('Connection is closed.');
      }
      delivered.push(event);
    },
    subscribe: async () => async () => undefined,
  };
  const publisher = new RunEventPublisher(new RunEventsTable(prisma), bus, createLogger({ level: 'silent' }), [10, 10, 10]);
  const ref = { runId: run.id, tenantId: 'acme', conversationId: conversation.id, userId: user.id, reply: { channel: 'slack' as const, address: {} } };
  const event = await publisher.emit(ref, { type: 'message.delta', text: 'hello' });
  expect(await publisher.eventsSince('acme', run.id, 0)).toHaveLength(1);
  await eventually(async () => delivered.length === 1, 'the retried publish');
  expect(delivered.map((e) => e.seq)).toEqual([event!.seq]);
  publisher.close();
});
