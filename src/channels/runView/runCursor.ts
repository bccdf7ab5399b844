import type { RunEvent } from '../../events/runEvent.js';

/**
 * Where one renderer stands in one run's event log: the last seq it applied, and events that arrived
 * beyond a gap (parallel steps publish out of order, a publish can be lost). Events are handed out
 * strictly in seq order, each once; a repeated or older event is never applied again.
 */
export class RunCursor {
  private last: number;
  private readonly held = new Map<number, RunEvent>();

  constructor(lastApplied = 0) {
    this.last = lastApplied;
  }

  get lastSeq(): number {
    return this.last;
  }

  /** True while an event beyond the next expected seq is waiting for the ones before it. */
  get hasGap(): boolean {
    return this.held.size > 0;
  }

  /** Accepts events (live or read back from the store); returns those now ready, in order. */
  offer(events: readonly RunEvent[]): RunEvent[] {
    for (const event of events) if (event.seq > this.last && !this.held.has(event.seq)) this.held.set(event.seq, event);
    return this.takeReady();
  }

  /**
   * Gives up on the missing seqs (the store does not have them either, e.g. no store is configured):
   * jumps to the oldest held event and returns what is then ready.
   */
  skipGap(): RunEvent[] {
    if (this.held.size === 0) return [];
    this.last = Math.min(...this.held.keys()) - 1;
    return this.takeReady();
  }

  private takeReady(): RunEvent[] {
    const ready: RunEvent[] = [];
    for (let next = this.held.get(this.last + 1); next; next = this.held.get(this.last + 1)) {
      this.held.delete(next.seq);
      this.last = next.seq;
      ready.push(next);
    }
    return ready;
  }
}
