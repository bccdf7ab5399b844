/** A queued unit of work: always one run of one tenant. */
export interface RunJob {
  readonly tenantId: string;
  readonly runId: string;
  /** W3C traceparent of whoever queued it, so the run's spans join the request's trace across processes. */
  readonly trace?: string;
}

/** What a handler tells the queue: finished, or try again later (the conversation was busy). */
export type JobOutcome = { readonly kind: 'done' } | { readonly kind: 'retry_later'; readonly delayMs: number };

export type JobHandler = (job: RunJob, attempt: number) => Promise<JobOutcome>;

/** Called when a job failed permanently; the runtime records a dead letter and fails the run. */
export type DeadLetterSink = (job: RunJob, error: unknown, attempts: number) => Promise<void>;

export interface RunQueue {
  readonly kind: 'bullmq' | 'memory';
  /** Idempotent per run: a run already waiting or delayed is not queued twice. */
  enqueue(job: RunJob, options?: { delayMs?: number }): Promise<void>;
  startWorkers(concurrency: number, handler: JobHandler): Promise<void>;
  /** Jobs waiting or delayed (for the queue depth gauge and readiness). */
  depth(): Promise<number>;
  close(): Promise<void>;
}

/** Stable, tenant-carrying id so the same run is never processed twice concurrently. */
export function jobIdOf(job: RunJob): string {
  return `run-${job.tenantId}-${job.runId}`;
}

export interface QueueOptions {
  /** Attempts before a throwing job is dead-lettered. */
  readonly attempts: number;
  readonly backoffMs: number;
  readonly onDeadLetter: DeadLetterSink;
}
