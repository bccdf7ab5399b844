import type { Lock } from '../infra/keyValue.js';

export class LeaseLostError extends Error {
  constructor() {
    super('the conversation lease was lost to another worker');
    this.name = 'LeaseLostError';
  }
}

/**
 * One worker's hold on a run (its conversation lock), renewed every leaseMs / 6. The hold is lost —
 * `signal` aborts — when Redis says the lock is someone else's, or when no renewal was confirmed for
 * a whole lease (the lock may have expired and been taken: renewal errors are not ignored).
 * `confirm()` is the gate before every side effect: without a renewal confirmed in the last two
 * thirds of a lease it renews now, and stops the worker if that fails. A superseded worker that
 * slips past it anyway is refused by the fencing token when it records the call's start.
 */
export class RunLease {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  private renewedAt = Date.now();

  constructor(
    private readonly lock: Lock,
    private readonly leaseMs: number,
    private readonly onRenewError: (error: unknown) => void,
  ) {
    this.timer = setInterval(() => this.renew(), Math.max(50, Math.floor(leaseMs / 6)));
    this.timer.unref();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  private lose(): void {
    if (!this.controller.signal.aborted) this.controller.abort(new LeaseLostError());
  }

  private renew(): void {
    if (this.signal.aborted) return;
    if (Date.now() - this.renewedAt >= this.leaseMs) return this.lose();
    const sentAt = Date.now();
    this.lock.extend(this.leaseMs).then(
      (held) => (held ? void (this.renewedAt = Math.max(this.renewedAt, sentAt)) : this.lose()),
      (error: unknown) => this.onRenewError(error),
    );
  }

  async confirm(): Promise<void> {
    this.signal.throwIfAborted();
    if (Date.now() - this.renewedAt < (this.leaseMs * 2) / 3) return;
    const sentAt = Date.now();
    let timer: NodeJS.Timeout | undefined;
    const held = await Promise.race([
      this.lock.extend(this.leaseMs).catch(() => false),
      new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), Math.max(50, Math.floor(this.leaseMs / 3)));
        timer.unref();
      }),
    ]).finally(() => clearTimeout(timer));
    if (held && Date.now() - sentAt < this.leaseMs / 3) this.renewedAt = Math.max(this.renewedAt, sentAt);
    else this.lose();
    this.signal.throwIfAborted();
  }

  async release(): Promise<void> {
    clearInterval(this.timer);
    await this.lock.release().catch(() => undefined);
  }
}
