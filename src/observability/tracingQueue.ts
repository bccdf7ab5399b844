import { SpanKind, trace } from '@opentelemetry/api';
import type { KeyValueStore } from '../infra/keyValue.js';
import { tenantKey } from '../infra/keys.js';
import type { RunQueue } from '../queue/runQueue.js';
import type { Tracing } from './tracing.js';

/** How long a run's first trace is remembered for linking resumed attempts (approvals wait days at most). */
const ORIGIN_TTL_MS = 14 * 24 * 60 * 60 * 1000;

/** Where each run's first trace is kept (Redis in production), so a resumed attempt in any process can link to it. */
export class TraceOrigins {
  constructor(private readonly kv: KeyValueStore) {}

  async record(tenantId: string, runId: string, traceparent: string): Promise<void> {
    await this.kv.set(tenantKey(tenantId, 'trace', runId), traceparent, { ttlMs: ORIGIN_TTL_MS, onlyIfAbsent: true });
  }

  find(tenantId: string, runId: string): Promise<string | null> {
    return this.kv.get(tenantKey(tenantId, 'trace', runId));
  }

  /**
   * True exactly once per run, for the attempt that continues the request's trace. A wake-up may be
   * enqueued from any context (an approval, a follow-up pass), so "the job's first attempt" alone
   * cannot tell the run's first attempt from a resume.
   */
  claimFirstAttempt(tenantId: string, runId: string): Promise<boolean> {
    return this.kv.set(tenantKey(tenantId, 'trace-first', runId), '1', { ttlMs: ORIGIN_TTL_MS, onlyIfAbsent: true });
  }
}

/**
 * The queue with tracing: a job carries the enqueuer's traceparent in its payload, and each handling
 * of it is a `run attempt` span. The first attempt of a job continues the trace it carries; a resumed
 * attempt (crash recovery, an approval, a retried job) starts a new trace linked to the run's first one.
 */
export function withRunTracing(tracing: Tracing | undefined, kv: KeyValueStore, queue: RunQueue): RunQueue {
  if (!tracing?.enabled) return queue;
  const origins = new TraceOrigins(kv);
  return {
    kind: queue.kind,
    enqueue: (job, options) => {
      const carried = job.trace ?? tracing.carrier();
      return queue.enqueue(carried ? { ...job, trace: carried } : job, options);
    },
    startWorkers: (concurrency, handler) => queue.startWorkers(concurrency, async (job, attempt) => {
      const origin = (await origins.find(job.tenantId, job.runId).catch(() => null)) ?? undefined;
      const first = attempt === 1 && job.trace !== undefined && (await origins.claimFirstAttempt(job.tenantId, job.runId).catch(() => false));
      const parent = first ? tracing.continueFrom(job.trace) : undefined;
      const parentTrace = parent ? trace.getSpanContext(parent)?.traceId : undefined;
      const originLink = tracing.linkTo(origin ?? job.trace);
      const links = originLink && originLink.context.traceId !== parentTrace ? [originLink] : [];
      const attributes = { 'switchboard.tenant_id': job.tenantId, 'switchboard.run_id': job.runId, 'switchboard.job_attempt': attempt, 'switchboard.resumed': !parent };
      return tracing.inSpan('run attempt', attributes, () => handler(job, attempt), parent ? { parent, kind: SpanKind.CONSUMER, links } : { root: true, kind: SpanKind.CONSUMER, links });
    }),
    depth: () => queue.depth(),
    close: () => queue.close(),
  };
}
