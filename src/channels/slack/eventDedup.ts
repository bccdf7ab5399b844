import type { KeyValueStore } from '../../infra/keyValue.js';
import { tenantKey } from '../../infra/keys.js';

/** Long enough to cover Slack's last retry (~5 min after the first delivery) with a wide margin. */
const DONE_TTL_MS = 24 * 60 * 60 * 1000;
/**
 * While a delivery is being handed to the gateway, its claim is short-lived: if this process dies
 * before the hand-off, Slack's next retry (about a minute later) is processed instead of dropped.
 */
const IN_FLIGHT_TTL_MS = 30_000;

/**
 * Deduplicates Events API deliveries by event_id across processes (SET NX in the shared store). The
 * gateway dedups again by deliveryId; this check keeps retries from even reaching it.
 */
export class SlackEventDedup {
  constructor(private readonly kv: KeyValueStore) {}

  /** True when this process owns the delivery; false when another delivery of the same event got there first. */
  async claim(tenantId: string, eventId: string): Promise<boolean> {
    return this.kv.set(this.key(tenantId, eventId), 'in_flight', { ttlMs: IN_FLIGHT_TTL_MS, onlyIfAbsent: true });
  }

  async complete(tenantId: string, eventId: string): Promise<void> {
    await this.kv.set(this.key(tenantId, eventId), 'done', { ttlMs: DONE_TTL_MS });
  }

  /** The hand-off failed; let a retry from Slack try again. */
  async release(tenantId: string, eventId: string): Promise<void> {
    await this.kv.delete(this.key(tenantId, eventId));
  }

  private key(tenantId: string, eventId: string): string {
    return tenantKey(tenantId, 'slack', 'event', eventId);
  }
}
