import type { KeyValueStore, LockManager, PubSub } from './keyValue.js';
import type { RateLimiter } from './rateLimiter.js';

/** The shared-state services a process needs, backed by Redis or, in the embedded default, by memory. */
export interface Infra {
  readonly kind: 'redis' | 'memory';
  readonly kv: KeyValueStore;
  readonly locks: LockManager;
  readonly pubsub: PubSub;
  readonly rateLimiter: RateLimiter;
  /** Redis connection settings for BullMQ (absent in memory mode). */
  readonly redis?: { readonly url: string; readonly keyPrefix: string };
  /** Resolves when the backing store answers (readiness checks). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
