import type { PubSub } from '../keyValue.js';

/** Fan-out within one process; delivery is asynchronous like Redis so publishers never run handlers inline. */
export class MemoryPubSub implements PubSub {
  private readonly handlers = new Map<string, Set<(message: string) => void>>();

  async publish(channel: string, message: string): Promise<void> {
    const handlers = this.handlers.get(channel);
    if (!handlers) return;
    for (const handler of [...handlers]) {
      queueMicrotask(() => {
        try {
          handler(message);
        } catch {
          // A subscriber's failure must not affect the publisher or other subscribers.
        }
      });
    }
  }

  async subscribe(channel: string, handler: (message: string) => void): Promise<() => Promise<void>> {
    const set = this.handlers.get(channel) ?? new Set();
    set.add(handler);
    this.handlers.set(channel, set);
    return async () => {
      set.delete(handler);
    };
  }

  async close(): Promise<void> {
    this.handlers.clear();
  }
}
