import type { Redis } from 'ioredis';
import type { PubSub } from '../keyValue.js';

/** Publishes on the shared connection; subscribes on a dedicated one (a subscribed connection can do nothing else). */
export class RedisPubSub implements PubSub {
  private subscriber?: Redis;
  private readonly handlers = new Map<string, Set<(message: string) => void>>();

  constructor(
    private readonly publisher: Redis,
    private readonly prefix: string,
  ) {}

  async publish(channel: string, message: string): Promise<void> {
    await this.publisher.publish(this.prefix + channel, message);
  }

  private connection(): Redis {
    if (!this.subscriber) {
      const subscriber = this.publisher.duplicate();
      subscriber.on('message', (channel: string, message: string) => {
        const handlers = this.handlers.get(channel.slice(this.prefix.length));
        for (const handler of handlers ?? []) {
          try {
            handler(message);
          } catch {
            // Subscribers must not throw; one bad handler must not starve the others.
          }
        }
      });
      this.subscriber = subscriber;
    }
    return this.subscriber;
  }

  async subscribe(channel: string, handler: (message: string) => void): Promise<() => Promise<void>> {
    const connection = this.connection();
    let set = this.handlers.get(channel);
    if (!set) {
      set = new Set();
      this.handlers.set(channel, set);
      await connection.subscribe(this.prefix + channel);
    }
    set.add(handler);
    return async () => {
      set.delete(handler);
      if (set.size === 0 && this.handlers.get(channel) === set) {
        this.handlers.delete(channel);
        await connection.unsubscribe(this.prefix + channel).catch(() => undefined);
      }
    };
  }

  async close(): Promise<void> {
    this.handlers.clear();
    if (this.subscriber) await this.subscriber.quit().catch(() => undefined);
    this.subscriber = undefined;
  }
}
