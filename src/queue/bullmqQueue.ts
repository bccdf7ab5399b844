import { randomUUID } from 'node:crypto';
import { DelayedError, Queue, Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { Logger } from '../core/logger.js';
import { jobIdOf, type JobHandler, type QueueOptions, type RunJob, type RunQueue } from './runQueue.js';

export interface BullmqQueueOptions extends QueueOptions {
  readonly redisUrl: string;
  /** Namespaces the queue's keys (per deployment, per test file). */
  readonly prefix: string;
  readonly queueName?: string;
  /** How long a worker's hold on a job lasts without renewal; a dead worker's job is re-run after it. */
  readonly lockDurationMs?: number;
}

function connectionOf(url: string): ConnectionOptions {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 6379),
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    db: parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0,
    ...(parsed.protocol === 'rediss:' ? { tls: {} } : {}),
    maxRetriesPerRequest: null,
  };
}

/** Durable, multi-process run queue on Redis. */
export class BullmqRunQueue implements RunQueue {
  readonly kind = 'bullmq' as const;
  private readonly queue: Queue<RunJob>;
  private readonly workers: Worker<RunJob>[] = [];
  private readonly connection: ConnectionOptions;
  private readonly name: string;

  constructor(
    private readonly options: BullmqQueueOptions,
    private readonly logger: Logger,
  ) {
    this.connection = connectionOf(options.redisUrl);
    this.name = options.queueName ?? 'runs';
    this.queue = new Queue<RunJob>(this.name, { connection: this.connection, prefix: options.prefix });
    this.queue.on('error', (error) => logger.warn({ err: { message: error.message } }, 'run queue error'));
  }

  async enqueue(job: RunJob, options: { delayMs?: number } = {}): Promise<void> {
    const jobId = jobIdOf(job);
    // A job id already waiting or delayed makes add() a no-op (idempotent per run). An ACTIVE job
    // may already have read the state this wake-up changed, so a follow-up job is added under a
    // second id; should that one be active too, a one-off id (passes of one run are serialised by
    // the conversation lock, and a pass over a settled run does nothing).
    for (const id of [jobId, `${jobId}-next`, `${jobId}-next-${randomUUID()}`]) {
      for (let tries = 0; tries < 3; tries += 1) {
        await this.add(id, job, options);
        const state = await this.queue.getJobState(id);
        // Finished (and removed) between add() and the look: add it again.
        if (state === 'unknown' || state === 'completed' || state === 'failed') continue;
        if (state !== 'active') return;
        break;
      }
    }
  }

  private async add(jobId: string, job: RunJob, options: { delayMs?: number }): Promise<void> {
    await this.queue.add('run', { tenantId: job.tenantId, runId: job.runId, ...(job.trace ? { trace: job.trace } : {}) }, {
      jobId,
      ...(options.delayMs ? { delay: options.delayMs } : {}),
      attempts: this.options.attempts,
      backoff: { type: 'exponential', delay: this.options.backoffMs },
      removeOnComplete: true,
      removeOnFail: true,
    });
  }

  async startWorkers(concurrency: number, handler: JobHandler): Promise<void> {
    const worker = new Worker<RunJob>(
      this.name,
      async (job: Job<RunJob>, token?: string) => {
        const outcome = await handler({ tenantId: job.data.tenantId, runId: job.data.runId, ...(job.data.trace ? { trace: job.data.trace } : {}) }, job.attemptsMade + 1);
        if (outcome.kind === 'retry_later') {
          // Keeps the same job (and id) instead of adding a new one while this one is still active.
          await job.moveToDelayed(Date.now() + outcome.delayMs, token);
          throw new DelayedError();
        }
      },
      {
        connection: this.connection,
        prefix: this.options.prefix,
        concurrency,
        // Short locks renewed by BullMQ (every lockDuration / 2): a killed worker's job is seen as
        // stalled within seconds. The conversation lease, not this lock, keeps runs single-driver.
        lockDuration: this.options.lockDurationMs ?? 10_000,
        stalledInterval: Math.max(1_000, Math.floor((this.options.lockDurationMs ?? 10_000) / 2)),
        maxStalledCount: 5,
      },
    );
    worker.on('failed', (job, error) => {
      if (!job || error instanceof DelayedError || error.name === 'DelayedError') return;
      if (job.attemptsMade >= (job.opts.attempts ?? 1)) {
        void this.options.onDeadLetter(job.data, error, job.attemptsMade).catch((e: unknown) => this.logger.error({ err: e }, 'dead letter failed'));
      }
    });
    worker.on('error', (error) => this.logger.warn({ err: { message: error.message } }, 'run worker error'));
    this.workers.push(worker);
    await worker.waitUntilReady();
  }

  async depth(): Promise<number> {
    const counts = await this.queue.getJobCounts('waiting', 'delayed', 'prioritized');
    return Object.values(counts).reduce((sum, n) => sum + n, 0);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close()));
    await this.queue.close();
  }
}
