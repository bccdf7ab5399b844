import { randomUUID } from 'node:crypto';
import { ContextWindowManager, TRUNCATION_MARKER } from '../../src/memory/contextWindow.js';
import { ConversationMemory } from '../../src/memory/conversationMemory.js';
import type { Provenance } from '../../src/memory/provenance.js';
import { UserFactStore } from '../../src/memory/userFacts.js';
import { WorkingMemory } from '../../src/memory/workingMemory.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { testTokenCounter } from '../support/models.js';
import { testInfra } from '../support/plannerHarness.js';

describe('memory on real Postgres and Redis', () => {
  let db: TestDatabase;
  let env: Awaited<ReturnType<typeof testInfra>>;
  beforeAll(async () => {
    db = await createTestDatabase();
    env = await testInfra();
  });
  afterAll(async () => {
    await env.cleanup();
    await db.drop();
  });

  async function conversation(tenantId: string): Promise<string> {
    const row = await db.db.prisma.conversation.create({ data: { tenantId, channel: 'web', externalId: randomUUID(), address: {} } });
    return row.id;
  }

  test('history is cached per thread and rebuilt from Postgres when the cache is empty', async () => {
    const memory = new ConversationMemory({ kv: env.infra.kv, prisma: db.db.prisma, tokens: testTokenCounter() });
    const conversationId = await conversation('acme');
    await memory.append({ tenantId: 'acme', conversationId, turn: { role: 'user', content: 'my open tickets', provenance: 'requester' } });
    await memory.append({ tenantId: 'acme', conversationId, turn: { role: 'assistant', content: 'You have one: INC0010001.', provenance: 'derived' } });
    expect(await memory.recent('acme', conversationId)).toEqual([
      { role: 'user', content: 'my open tickets', provenance: 'requester' },
      { role: 'assistant', content: 'You have one: INC0010001.', provenance: 'derived' },
    ]);
    await env.infra.kv.delete(`t:acme:conv:${conversationId}:turns`);
    const cold = new ConversationMemory({ kv: env.infra.kv, prisma: db.db.prisma });
    expect((await cold.recent('acme', conversationId)).map((t) => t.content)).toEqual(['my open tickets', 'You have one: INC0010001.']);
    expect(await env.infra.kv.listRange(`t:acme:conv:${conversationId}:turns`, 0, -1)).toHaveLength(2);
    const stored = await db.db.prisma.message.findMany({ where: { tenantId: 'acme', conversationId } });
    expect(stored.find((m) => m.role === 'user')?.tokens).toBe(testTokenCounter().count('my open tickets'));
  });

  test('another tenant cannot read a thread by its id', async () => {
    const memory = new ConversationMemory({ kv: env.infra.kv, prisma: db.db.prisma });
    const conversationId = await conversation('acme');
    await memory.append({ tenantId: 'acme', conversationId, turn: { role: 'user', content: 'secret plans', provenance: 'requester' } });
    expect(await memory.recent('globex', conversationId)).toEqual([]);
  });

  test('bad turns are refused', async () => {
    const memory = new ConversationMemory({ kv: env.infra.kv });
    await expect(memory.append({ tenantId: 'acme', conversationId: randomUUID(), turn: { role: 'system' as never, content: 'x', provenance: 'requester' } })).rejects.toThrow();
  });

  test('user facts are upserted per tenant and user', async () => {
    const facts = new UserFactStore(db.db.prisma);
    const userId = randomUUID();
    await facts.set('acme', userId, 'jira.defaultProject', 'NET');
    await facts.set('acme', userId, 'jira.defaultProject', 'HELP');
    expect(await facts.all('acme', userId)).toEqual({ 'jira.defaultProject': 'HELP' });
    expect(await facts.all('globex', userId)).toEqual({});
    await expect(facts.set('acme', userId, 'Bad Key!', 'x')).rejects.toThrow();
  });

  test('working memory is per run', async () => {
    const working = new WorkingMemory(env.infra.kv);
    const run = randomUUID();
    await working.note('acme', run, 'assignee', 'acc-123');
    expect(await working.read('acme', run)).toEqual({ assignee: 'acc-123' });
    expect(await working.read('acme', randomUUID())).toEqual({});
    await working.clear('acme', run);
    expect(await working.read('acme', run)).toEqual({});
  });
});

describe('context window manager without a model', () => {
  const tokens = testTokenCounter();
  const history = Array.from({ length: 30 }, (_, i) => ({ role: (i % 2 ? 'assistant' : 'user') as 'user' | 'assistant', content: `message ${i} ${'lorem ipsum dolor sit amet '.repeat(20)}`, provenance: (i % 2 ? 'assistant' : 'requester') as Provenance }));

  test('truncates older turns with a marker, stays under the threshold, keeps the latest turns verbatim', async () => {
    const manager = new ContextWindowManager({ tokens });
    const result = await manager.assemble({ system: 'policy', history, request: 'now what?', working: `<tool_results>${'x '.repeat(3000)}</tool_results>`, threshold: 800 });
    expect(result.compressed).toBe(true);
    expect(result.tokens).toBeLessThanOrEqual(800);
    expect(tokens.countMessages(result.messages)).toBe(result.tokens);
    const contents = result.messages.map((m) => String(m.content));
    expect(contents.some((c) => c.includes(TRUNCATION_MARKER))).toBe(true);
    expect(contents).toContain(history[29]!.content);
    expect(contents).toContain(history[28]!.content);
    expect(contents.at(-2)).toBe('now what?');
    expect(contents.at(-1)).toMatch(/…\[truncated\]$/);
  });

  test('short threads are sent as they are', async () => {
    const result = await new ContextWindowManager({ tokens }).assemble({ system: 'policy', history: history.slice(0, 2), request: 'hi', threshold: 6000 });
    expect(result.compressed).toBe(false);
    expect(result.messages).toHaveLength(4);
  });
});
