import type { Redis } from 'ioredis';
import type { KeyValueStore } from '../keyValue.js';

const INCR_WITH_TTL = `
local v = redis.call('INCRBY', KEYS[1], ARGV[1])
if tonumber(ARGV[2]) > 0 and redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return v`;

/** KeyValueStore over one ioredis connection; `prefix` isolates deployments (and test files) sharing a server. */
export class RedisKeyValueStore implements KeyValueStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private k(key: string): string {
    return this.prefix + key;
  }

  async get(key: string): Promise<string | null> {
    return this.redis.get(this.k(key));
  }

  async set(key: string, value: string, options: { ttlMs?: number; onlyIfAbsent?: boolean } = {}): Promise<boolean> {
    const args: (string | number)[] = [];
    if (options.ttlMs) args.push('PX', Math.max(1, Math.round(options.ttlMs)));
    if (options.onlyIfAbsent) args.push('NX');
    const reply = (await this.redis.call('SET', this.k(key), value, ...args)) as string | null;
    return reply === 'OK';
  }

  async delete(key: string): Promise<void> {
    await this.redis.del(this.k(key));
  }

  async incrementBy(key: string, amount: number, ttlMs?: number): Promise<number> {
    const reply = await this.redis.eval(INCR_WITH_TTL, 1, this.k(key), Math.round(amount), Math.round(ttlMs ?? 0));
    return Number(reply);
  }

  async appendToList(key: string, value: string, options: { maxLength: number; ttlMs: number }): Promise<void> {
    const k = this.k(key);
    await this.redis.multi().rpush(k, value).ltrim(k, -options.maxLength, -1).pexpire(k, options.ttlMs).exec();
  }

  async listRange(key: string, start: number, stop: number): Promise<string[]> {
    return this.redis.lrange(this.k(key), start, stop);
  }

  async close(): Promise<void> {
    // The connection is owned by createInfra, which closes it once for every service sharing it.
  }
}
