import type { Logger } from '../core/logger.js';
import type { PubSub } from '../infra/keyValue.js';
import type { RunEventBus } from './eventBus.js';
import type { RunEvent } from './runEvent.js';

/**
 * RunEventBus over a PubSub: in-process with MemoryPubSub, across processes with RedisPubSub. Every
 * event carries its tenant; subscribers (channel adapters) route by it.
 */
export class PubSubRunEventBus implements RunEventBus {
  constructor(
    private readonly pubsub: PubSub,
    private readonly logger: Logger,
    private readonly channel = 'run-events',
  ) {}

  async publish(event: RunEvent): Promise<void> {
    await this.pubsub.publish(this.channel, JSON.stringify(event));
  }

  async subscribe(handler: (event: RunEvent) => void | Promise<void>): Promise<() => Promise<void>> {
    return this.pubsub.subscribe(this.channel, (message) => {
      let event: RunEvent;
      try {
        event = JSON.parse(message) as RunEvent;
      } catch {
        this.logger.warn('dropped an unreadable run event');
        return;
      }
      Promise.resolve()
        .then(() => handler(event))
        .catch((error: unknown) => this.logger.warn({ err: error, runId: event.runId, type: event.type }, 'run event handler failed'));
    });
  }
}
