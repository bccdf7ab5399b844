import type { KeyValueStore } from '../../infra/keyValue.js';
import { tenantKey } from '../../infra/keys.js';

const DONE_TTL_MS = 24 * 60 * 60 * 1000;
/** A claim that is never completed (process died mid hand-off) lapses, so a redelivery is handled. */
const IN_FLIGHT_TTL_MS = 30_000;

/** Deduplicates activity deliveries by activity id across processes (SET NX in the shared store). */
export class ActivityDedup {
  constructor(private readonly kv: KeyValueStore) {}

  claim(tenantId: string, activityId: string): Promise<boolean> {
    return this.kv.set(this.key(tenantId, activityId), 'in_flight', { ttlMs: IN_FLIGHT_TTL_MS, onlyIfAbsent: true });
  }

  async complete(tenantId: string, activityId: string): Promise<void> {
    await this.kv.set(this.key(tenantId, activityId), 'done', { ttlMs: DONE_TTL_MS });
  }

  async release(tenantId: string, activityId: string): Promise<void> {
    await this.kv.delete(this.key(tenantId, activityId));
  }

  private key(tenantId: string, activityId: string): string {
    return tenantKey(tenantId, 'teams', 'activity', activityId);
  }
}
