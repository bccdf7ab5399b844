/**
 * The small slice of Redis Switchboard relies on, so the embedded default can keep the same
 * semantics in-process. Every key a caller builds must start with the tenant id (`t:<tenant>:...`).
 */
export interface KeyValueStore {
  get(key: string): Promise<string | null>;
  /** SET with optional TTL; with `onlyIfAbsent` it is SET NX and resolves false when the key existed. */
  set(key: string, value: string, options?: { ttlMs?: number; onlyIfAbsent?: boolean }): Promise<boolean>;
  delete(key: string): Promise<void>;
  /** INCRBY; the TTL is applied when the key is created by this call. Resolves the new value. */
  incrementBy(key: string, amount: number, ttlMs?: number): Promise<number>;
  /** RPUSH + LTRIM to the newest `maxLength` entries + PEXPIRE. */
  appendToList(key: string, value: string, options: { maxLength: number; ttlMs: number }): Promise<void>;
  listRange(key: string, start: number, stop: number): Promise<string[]>;
  close(): Promise<void>;
}

export interface Lock {
  /** Extends the lease; false when it was lost (another holder took over after expiry). */
  extend(ttlMs: number): Promise<boolean>;
  release(): Promise<void>;
}

export interface LockManager {
  /** Resolves null when the lock is held elsewhere after waiting up to `waitMs`. */
  acquire(key: string, options: { ttlMs: number; waitMs?: number }): Promise<Lock | null>;
}

export interface PubSub {
  publish(channel: string, message: string): Promise<void>;
  subscribe(channel: string, handler: (message: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}
