import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Lock, LockManager } from '../keyValue.js';

// Compare the fencing token before touching the key, so a holder whose lease expired can never
// release or extend a lock another process has taken since.
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;
const EXTEND = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;
const POLL_MS = 25;

export class RedisLockManager implements LockManager {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async acquire(key: string, options: { ttlMs: number; waitMs?: number }): Promise<Lock | null> {
    const fullKey = this.prefix + key;
    const token = randomUUID();
    const deadline = Date.now() + (options.waitMs ?? 0);
    for (;;) {
      const reply = await this.redis.set(fullKey, token, 'PX', Math.max(1, Math.round(options.ttlMs)), 'NX');
      if (reply === 'OK') {
        return {
          extend: async (ttlMs) => Number(await this.redis.eval(EXTEND, 1, fullKey, token, Math.round(ttlMs))) === 1,
          release: async () => void (await this.redis.eval(RELEASE, 1, fullKey, token)),
        };
      }
      if (Date.now() >= deadline) return null;
      await new Promise((resolve) => setTimeout(resolve, Math.min(POLL_MS, Math.max(1, deadline - Date.now()))));
    }
  }
}
