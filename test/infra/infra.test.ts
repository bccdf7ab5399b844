import { createLogger } from '../../src/core/logger.js';
import { createInfra } from '../../src/infra/createInfra.js';
import type { Infra } from '../../src/infra/infra.js';
import { tenantKey, tenantOfKey } from '../../src/infra/keys.js';
import { createRunQueue } from '../../src/queue/createRunQueue.js';
import type { JobOutcome, RunJob } from '../../src/queue/runQueue.js';
import { cleanupRedisPrefix, TEST_REDIS_URL, uniquePrefix } from '../support/engineHarness.js';

const logger = createLogger({ level: 'silent' });
const prefix = uniquePrefix('infra');

afterAll(() => cleanupRedisPrefix(prefix));

test('keys start with their tenant and refuse a tenant id that could escape its key space', () => {
  expect(tenantKey('acme', 'conv', 'c1')).toBe('t:acme:conv:c1');
  expect(tenantOfKey('t:acme:conv:c1')).toBe('acme');
  expect(() => tenantKey('a:b', 'x')).toThrow();
});

describe.each(['memory', 'redis'] as const)('%s infra', (kind) => {
  let infra: Infra;
  beforeAll(async () => {
    infra = await createInfra({ ...(kind === 'redis' ? { redisUrl: TEST_REDIS_URL, keyPrefix: `${prefix}${kind}:` } : {}), logger });
  });
  afterAll(() => infra.close());

  test('key-value: SET NX, TTL expiry, INCRBY with TTL on create, capped lists', async () => {
    const k = tenantKey('acme', kind, 'k');
    expect(await infra.kv.set(k, 'a', { onlyIfAbsent: true })).toBe(true);
    expect(await infra.kv.set(k, 'b', { onlyIfAbsent: true })).toBe(false);
    expect(await infra.kv.get(k)).toBe('a');
    await infra.kv.set(k, 'short', { ttlMs: 30 });
    await new Promise((r) => setTimeout(r, 80));
    expect(await infra.kv.get(k)).toBeNull();
    const counter = tenantKey('acme', kind, 'n');
    expect(await infra.kv.incrementBy(counter, 5, 60_000)).toBe(5);
    expect(await infra.kv.incrementBy(counter, -2)).toBe(3);
    const list = tenantKey('acme', kind, 'list');
    for (const v of ['1', '2', '3', '4']) await infra.kv.appendToList(list, v, { maxLength: 3, ttlMs: 60_000 });
    expect(await infra.kv.listRange(list, 0, -1)).toEqual(['2', '3', '4']);
  });

  test('locks: one holder at a time; a stale holder can neither extend nor release the new holder', async () => {
    const key = tenantKey('acme', kind, 'lock');
    const first = await infra.locks.acquire(key, { ttlMs: 60 });
    expect(first).not.toBeNull();
    expect(await infra.locks.acquire(key, { ttlMs: 60 })).toBeNull();
    const second = await infra.locks.acquire(key, { ttlMs: 5_000, waitMs: 1_000 });
    expect(second).not.toBeNull();
    expect(await first!.extend(5_000)).toBe(false);
    await first!.release();
    expect(await infra.locks.acquire(key, { ttlMs: 100 })).toBeNull();
    expect(await second!.extend(5_000)).toBe(true);
    await second!.release();
    expect(await infra.locks.acquire(key, { ttlMs: 100 })).not.toBeNull();
  });

  test('pub/sub delivers to every subscriber until it unsubscribes', async () => {
    const got: string[] = [];
    let done!: () => void;
    const delivered = new Promise<void>((resolve) => (done = resolve));
    const record = (m: string) => {
      got.push(m);
      if (got.length === 2) done();
    };
    await infra.pubsub.subscribe('chan', (m) => record(m));
    const unsubscribe = await infra.pubsub.subscribe('chan', (m) => record(`second:${m}`));
    await infra.pubsub.publish('chan', 'hello');
    await delivered;
    await unsubscribe();
    expect(got.sort()).toEqual(['hello', 'second:hello']);
    let third!: () => void;
    const next = new Promise<void>((resolve) => (third = resolve));
    await infra.pubsub.subscribe('chan', (m) => m === 'again' && third());
    await infra.pubsub.publish('chan', 'again');
    await next;
    expect(got.filter((m) => m === 'second:again')).toEqual([]);
  });

  test('token buckets refuse when empty and say when to retry', async () => {
    const rule = { capacity: 2, windowMs: 60_000 };
    const key = tenantKey('acme', kind, 'bucket');
    expect((await infra.rateLimiter.take(key, rule)).allowed).toBe(true);
    expect((await infra.rateLimiter.take(key, rule)).allowed).toBe(true);
    const refused = await infra.rateLimiter.take(key, rule);
    expect(refused.allowed).toBe(false);
    expect(!refused.allowed && refused.retryAfterMs).toBeGreaterThan(20_000);
  });

  test('queue: one job per run, retry_later keeps it, a throwing job is dead-lettered after its attempts', async () => {
    const dead: { job: RunJob; attempts: number }[] = [];
    const handled: string[] = [];
    let deadLettered!: () => void;
    const deadLetter = new Promise<void>((resolve) => (deadLettered = resolve));
    let busyRetried!: () => void;
    const busyAgain = new Promise<void>((resolve) => (busyRetried = resolve));
    const queue = createRunQueue(
      {
        attempts: 2, backoffMs: 10, lockDurationMs: 5_000,
        ...(infra.redis ? { redis: { url: infra.redis.url, keyPrefix: `${infra.redis.keyPrefix}q:` } } : {}),
        onDeadLetter: async (job, _error, attempts) => {
          dead.push({ job, attempts });
          deadLettered();
        },
      },
      logger,
    );
    const seen = new Map<string, number>();
    // The same run enqueued twice before any worker runs is one job.
    await Promise.all([queue.enqueue({ tenantId: 'acme', runId: 'ok' }), queue.enqueue({ tenantId: 'acme', runId: 'ok' })]);
    await queue.enqueue({ tenantId: 'acme', runId: 'busy' });
    await queue.enqueue({ tenantId: 'acme', runId: 'bad' });
    await queue.startWorkers(2, async (job): Promise<JobOutcome> => {
      const n = (seen.get(job.runId) ?? 0) + 1;
      seen.set(job.runId, n);
      handled.push(`${job.runId}#${n}`);
      if (job.runId === 'busy' && n === 1) return { kind: 'retry_later', delayMs: 20 };
      if (job.runId === 'busy') busyRetried();
      if (job.runId === 'bad') throw new Error('boom');
      return { kind: 'done' };
    });
    await Promise.all([deadLetter, busyAgain]);
    await queue.close();
    expect(dead).toEqual([{ job: { tenantId: 'acme', runId: 'bad' }, attempts: 2 }]);
    expect(handled.filter((h) => h.startsWith('ok#'))).toEqual(['ok#1']);
    expect(handled).toContain('busy#2');
  });
});
