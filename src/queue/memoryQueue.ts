import type { Logger } from '../core/logger.js';
import { jobIdOf, type JobHandler, type QueueOptions, type RunJob, type RunQueue } from './runQueue.js';

interface Entry {
  readonly job: RunJob;
  attempt: number;
  readyAt: number;
}

/** The embedded default: same contract as BullMQ within one process (no durability; recovery re-enqueues from Postgres). */
export class MemoryRunQueue implements RunQueue {
  readonly kind = 'memory' as const;
  private readonly waiting = new Map<string, Entry>();
  private readonly active = new Set<string>();
  /** Enqueued while active: run once more after the current pass. */
  private readonly rerun = new Set<string>();
  private handler?: JobHandler;
  private concurrency = 0;
  private timer?: NodeJS.Timeout;
  private closed = false;
  private readonly idle: (() => void)[] = [];

  constructor(
    private readonly options: QueueOptions,
    private readonly logger: Logger,
  ) {}

  async enqueue(job: RunJob, options: { delayMs?: number } = {}): Promise<void> {
    if (this.closed) return;
    const id = jobIdOf(job);
    if (this.active.has(id)) {
      this.rerun.add(id);
      return;
    }
    const readyAt = Date.now() + (options.delayMs ?? 0);
    const existing = this.waiting.get(id);
    if (existing) existing.readyAt = Math.min(existing.readyAt, readyAt);
    else this.waiting.set(id, { job, attempt: 1, readyAt });
    this.pump();
  }

  async startWorkers(concurrency: number, handler: JobHandler): Promise<void> {
    this.handler = handler;
    this.concurrency = concurrency;
    this.pump();
  }

  async depth(): Promise<number> {
    return this.waiting.size;
  }

  private pump(): void {
    if (!this.handler || this.closed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const now = Date.now();
    let nextAt = Infinity;
    for (const [id, entry] of this.waiting) {
      if (this.active.size >= this.concurrency) break;
      if (entry.readyAt > now) {
        nextAt = Math.min(nextAt, entry.readyAt);
        continue;
      }
      this.waiting.delete(id);
      this.active.add(id);
      void this.run(id, entry);
    }
    if (nextAt !== Infinity && this.active.size < this.concurrency) {
      this.timer = setTimeout(() => this.pump(), Math.max(1, nextAt - now));
      this.timer.unref();
    }
  }

  private async run(id: string, entry: Entry): Promise<void> {
    const handler = this.handler;
    let next: Entry | undefined;
    try {
      const outcome = handler ? await handler(entry.job, entry.attempt) : { kind: 'done' as const };
      if (outcome.kind === 'retry_later') next = { job: entry.job, attempt: entry.attempt, readyAt: Date.now() + outcome.delayMs };
    } catch (error) {
      if (entry.attempt >= this.options.attempts) {
        await this.options.onDeadLetter(entry.job, error, entry.attempt).catch((e: unknown) => this.logger.error({ err: e }, 'dead letter failed'));
      } else {
        const delay = this.options.backoffMs * 2 ** (entry.attempt - 1);
        next = { job: entry.job, attempt: entry.attempt + 1, readyAt: Date.now() + delay };
      }
    } finally {
      this.active.delete(id);
    }
    if (this.rerun.delete(id) && !next) next = { job: entry.job, attempt: 1, readyAt: Date.now() };
    if (next && !this.closed) {
      const existing = this.waiting.get(id);
      if (!existing || existing.readyAt > next.readyAt) this.waiting.set(id, next);
    }
    if (this.active.size === 0) this.idle.splice(0).forEach((resolve) => resolve());
    this.pump();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.waiting.clear();
    if (this.active.size > 0) await new Promise<void>((resolve) => this.idle.push(resolve));
  }
}
