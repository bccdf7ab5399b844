import type { RunEvent } from './runEvent.js';

/** In-process fan-out, or across processes over Redis pub/sub; handlers must not throw. */
export interface RunEventBus {
  publish(event: RunEvent): Promise<void>;
  subscribe(handler: (event: RunEvent) => void | Promise<void>): Promise<() => Promise<void>>;
}
