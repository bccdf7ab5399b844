import { randomUUID } from 'node:crypto';
import type { Lock, LockManager } from '../keyValue.js';
import { MemoryKeyValueStore } from './memoryKeyValue.js';

const POLL_MS = 25;

/** Leases with the same fencing-token semantics as the Redis lock manager, for one process. */
export class MemoryLockManager implements LockManager {
  private readonly store: MemoryKeyValueStore;

  constructor(now: () => number = Date.now) {
    this.store = new MemoryKeyValueStore(now);
  }

  async acquire(key: string, options: { ttlMs: number; waitMs?: number }): Promise<Lock | null> {
    const token = randomUUID();
    const deadline = Date.now() + (options.waitMs ?? 0);
    for (;;) {
      if (await this.store.set(key, token, { ttlMs: options.ttlMs, onlyIfAbsent: true })) {
        return {
          extend: async (ttlMs) => this.store.extendIfEquals(key, token, ttlMs),
          release: async () => void this.store.deleteIfEquals(key, token),
        };
      }
      if (Date.now() >= deadline) return null;
      await new Promise((resolve) => setTimeout(resolve, Math.min(POLL_MS, Math.max(1, deadline - Date.now()))));
    }
  }
}
