import { WebAPIRateLimitedError } from '@slack/web-api';

/** Milliseconds Slack asked us to wait (429 Retry-After), or null for any other failure. */
export function retryAfterMs(error: unknown): number | null {
  if (error instanceof WebAPIRateLimitedError) return Math.max(0, error.retryAfter) * 1000;
  return null;
}

/**
 * Serialises one message's Slack calls and spaces them out: a minimum gap between calls, and after a
 * 429 the gap Slack asked for. Work is never dropped for being early; it just runs later.
 */
export class Pacer {
  private notBefore = 0;
  private closed = false;
  private readonly wakers = new Set<() => void>();

  constructor(private readonly now: () => number = Date.now) {}

  async waitTurn(): Promise<void> {
    const delay = this.notBefore - this.now();
    if (delay <= 0 || this.closed) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, delay);
      const wakers = this.wakers;
      function done(): void {
        clearTimeout(timer);
        wakers.delete(done);
        resolve();
      }
      wakers.add(done);
    });
  }

  spaceNext(gapMs: number): void {
    this.notBefore = Math.max(this.notBefore, this.now() + gapMs);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Ends all waits at once (channel shutdown). */
  close(): void {
    this.closed = true;
    for (const wake of [...this.wakers]) wake();
  }
}
