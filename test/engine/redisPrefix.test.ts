import { loadEnv } from '../../src/config/env.js';
import { createLogger } from '../../src/core/logger.js';
import { PubSubRunEventBus } from '../../src/events/pubSubEventBus.js';
import type { RunEvent } from '../../src/events/runEvent.js';
import { createInfra } from '../../src/infra/createInfra.js';
import type { Infra } from '../../src/infra/infra.js';
import { cleanupRedisPrefix, TEST_REDIS_URL, uniquePrefix } from '../support/engineHarness.js';

/**
 * Issue 12, finding 6 (shared Redis leaks events): the key prefix is configurable (REDIS_PREFIX) and
 * applies to pub/sub channels too (pub/sub ignores database numbers), so two deployments on one Redis
 * server never receive each other's run events.
 */
const logger = createLogger({ level: 'silent' });
const prefixA = uniquePrefix('deploy-a');
const prefixB = uniquePrefix('deploy-b');
const opened: Infra[] = [];

afterAll(async () => {
  await Promise.all(opened.map((i) => i.close()));
  await cleanupRedisPrefix(prefixA);
  await cleanupRedisPrefix(prefixB);
});

test('REDIS_PREFIX is read from the environment, defaults to "sb:" and refuses unsafe values', () => {
  expect(loadEnv({}).REDIS_PREFIX).toBe('sb:');
  expect(loadEnv({ REDIS_PREFIX: 'acme-prod:' }).REDIS_PREFIX).toBe('acme-prod:');
  expect(() => loadEnv({ REDIS_PREFIX: 'has space' })).toThrow(/REDIS_PREFIX/);
});

test('two deployments with different prefixes on one Redis server do not see each other\'s run events or keys', async () => {
  const open = async (keyPrefix: string) => {
    const infra = await createInfra({ redisUrl: TEST_REDIS_URL, keyPrefix, logger });
    opened.push(infra);
    return infra;
  };
  const [a, b, a2] = [await open(prefixA), await open(prefixB), await open(prefixA)];
  const seen = { a2: [] as string[], b: [] as string[] };
  await new PubSubRunEventBus(a2.pubsub, logger).subscribe((e) => void seen.a2.push(e.runId));
  await new PubSubRunEventBus(b.pubsub, logger).subscribe((e) => void seen.b.push(e.runId));
  const event = { type: 'run.status', status: 'planning', runId: 'r-1', tenantId: 't', conversationId: 'c', userId: 'u', reply: {}, seq: 1, at: new Date().toISOString() } as unknown as RunEvent;
  await new PubSubRunEventBus(a.pubsub, logger).publish(event);
  for (let i = 0; i < 100 && seen.a2.length === 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 20));
  expect(seen.a2).toEqual(['r-1']);
  expect(seen.b).toEqual([]);

  await a.kv.set('t:x:k', 'from-a');
  expect(await a2.kv.get('t:x:k')).toBe('from-a');
  expect(await b.kv.get('t:x:k')).toBeNull();
});
