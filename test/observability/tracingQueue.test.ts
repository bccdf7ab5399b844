import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { createLogger } from '../../src/core/logger.js';
import { MemoryKeyValueStore } from '../../src/infra/memory/memoryKeyValue.js';
import { createTracing } from '../../src/observability/tracing.js';
import { TraceOrigins, withRunTracing } from '../../src/observability/tracingQueue.js';
import { MemoryRunQueue } from '../../src/queue/memoryQueue.js';
import type { RunJob } from '../../src/queue/runQueue.js';

// The queue's part of tracing, on the embedded queue: a job's first attempt continues the trace it
// was queued in; a retried attempt (after a crash-like failure) and a job queued by recovery outside
// any request start new traces linked to the run's first trace.
test('first attempts continue the request trace; retried and recovered attempts link to it', async () => {
  const exporter = new InMemorySpanExporter();
  const tracing = createTracing({ env: {}, exporter });
  const kv = new MemoryKeyValueStore();
  const queue = withRunTracing(tracing, kv, new MemoryRunQueue({ attempts: 3, backoffMs: 1, onDeadLetter: async () => undefined }, createLogger({ level: 'silent' })));
  const handled: { job: RunJob; attempt: number }[] = [];
  const finished = new Promise<void>((resolve) => {
    void queue.startWorkers(1, async (job, attempt) => {
      handled.push({ job, attempt });
      if (handled.length === 1) throw new Error('worker died mid-run');
      if (handled.length === 3) resolve();
      return { kind: 'done' };
    });
  });
  await tracing.inSpan('request', {}, async () => {
    await new TraceOrigins(kv).record('acme', 'r1', tracing.carrier()!);
    await queue.enqueue({ tenantId: 'acme', runId: 'r1' });
  });
  // Let r1 finish its retry before recovery queues it again (the memory queue would merge them).
  await new Promise<void>((resolve) => {
    const wait = () => (handled.length >= 2 ? resolve() : setTimeout(wait, 5));
    wait();
  });
  await queue.enqueue({ tenantId: 'acme', runId: 'r1' });
  await finished;
  await queue.close();

  const request = exporter.getFinishedSpans().find((s) => s.name === 'request')!;
  const requestTrace = request.spanContext().traceId;
  const attempts = exporter.getFinishedSpans().filter((s) => s.name === 'run attempt');
  expect(attempts).toHaveLength(3);
  const [first, retried, recovered] = attempts;
  expect(first!.spanContext().traceId).toBe(requestTrace);
  expect(first!.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
  expect(first!.attributes['switchboard.resumed']).toBe(false);
  for (const resumed of [retried!, recovered!]) {
    expect(resumed.spanContext().traceId).not.toBe(requestTrace);
    expect(resumed.parentSpanContext).toBeUndefined();
    expect(resumed.attributes['switchboard.resumed']).toBe(true);
    expect(resumed.links.map((l) => l.context.traceId)).toEqual([requestTrace]);
  }
  expect(retried!.attributes['switchboard.job_attempt']).toBe(2);
  expect(first!.status.code).toBe(2);
  await tracing.shutdown();
});
