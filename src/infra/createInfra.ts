import { Redis } from 'ioredis';
import type { Logger } from '../core/logger.js';
import type { Infra } from './infra.js';
import { MemoryKeyValueStore } from './memory/memoryKeyValue.js';
import { MemoryLockManager } from './memory/memoryLocks.js';
import { MemoryPubSub } from './memory/memoryPubSub.js';
import { MemoryRateLimiter } from './memory/memoryRateLimiter.js';
import { RedisKeyValueStore } from './redis/redisKeyValue.js';
import { RedisLockManager } from './redis/redisLocks.js';
import { RedisPubSub } from './redis/redisPubSub.js';
import { RedisRateLimiter } from './redis/redisRateLimiter.js';

export interface InfraOptions {
  /** Without it everything is in-process (the embedded default: one process only). */
  readonly redisUrl?: string;
  /** Prepended to every Redis key and channel, e.g. "sb:" or a unique prefix per test file. */
  readonly keyPrefix?: string;
  readonly logger: Logger;
}

export async function createInfra(options: InfraOptions): Promise<Infra> {
  const prefix = options.keyPrefix ?? 'sb:';
  if (!options.redisUrl) {
    const kv = new MemoryKeyValueStore();
    const pubsub = new MemoryPubSub();
    return {
      kind: 'memory',
      kv,
      locks: new MemoryLockManager(),
      pubsub,
      rateLimiter: new MemoryRateLimiter(),
      ping: async () => true,
      close: async () => {
        await pubsub.close();
        await kv.close();
      },
    };
  }
  const redis = new Redis(options.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 3, enableOfflineQueue: true });
  redis.on('error', (error: Error) => options.logger.warn({ err: { message: error.message } }, 'redis connection error'));
  await redis.connect();
  const pubsub = new RedisPubSub(redis, prefix);
  return {
    kind: 'redis',
    kv: new RedisKeyValueStore(redis, prefix),
    locks: new RedisLockManager(redis, prefix),
    pubsub,
    rateLimiter: new RedisRateLimiter(redis, prefix),
    redis: { url: options.redisUrl, keyPrefix: prefix },
    ping: async () => (await redis.ping().catch(() => null)) === 'PONG',
    close: async () => {
      await pubsub.close();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
