import { createLogger } from '../../src/core/logger.js';
import { BullmqRunQueue } from '../../src/queue/bullmqQueue.js';
import { MemoryRunQueue } from '../../src/queue/memoryQueue.js';
import type { JobOutcome, RunJob, RunQueue } from '../../src/queue/runQueue.js';
import { cleanupRedisPrefix, TEST_REDIS_URL, uniquePrefix } from '../support/engineHarness.js';

/**
 * Issue 12, finding 4: a wake-up (enqueue) that arrives while the run's job is being processed must
 * schedule a follow-up pass; it used to be ignored (fixed job id) until the next recovery sweep.
 */
const logger = createLogger({ level: 'silent' });
const prefix = uniquePrefix('wakeups');
afterAll(() => cleanupRedisPrefix(prefix));

const kinds: [string, () => RunQueue][] = [
  ['memory', () => new MemoryRunQueue({ attempts: 2, backoffMs: 10, onDeadLetter: async () => undefined }, logger)],
  ['bullmq', () => new BullmqRunQueue({ attempts: 2, backoffMs: 10, onDeadLetter: async () => undefined, redisUrl: TEST_REDIS_URL, prefix: `${prefix}bull` }, logger)],
];

test.each(kinds)('%s: an enqueue while the job is active runs the job once more afterwards', async (_kind, make) => {
  const queue = make();
  const job: RunJob = { tenantId: 'wake', runId: `run-${Math.random().toString(36).slice(2)}` };
  const passes: number[] = [];
  let releaseFirst!: () => void;
  const firstHeld = new Promise<void>((resolve) => (releaseFirst = resolve));
  let firstStarted!: () => void;
  const started = new Promise<void>((resolve) => (firstStarted = resolve));
  let secondDone!: () => void;
  const second = new Promise<void>((resolve) => (secondDone = resolve));
  try {
    await queue.startWorkers(2, async (): Promise<JobOutcome> => {
      passes.push(passes.length + 1);
      if (passes.length === 1) {
        firstStarted();
        await firstHeld;
      } else {
        secondDone();
      }
      return { kind: 'done' };
    });
    await queue.enqueue(job);
    await started;
    // The wake-up arrives while the first pass is still running (it has already read the run's state).
    await queue.enqueue(job);
    await queue.enqueue(job);
    releaseFirst();
    await Promise.race([second, new Promise((_, reject) => setTimeout(() => reject(new Error(`no follow-up pass (passes: ${passes.length})`)), 10_000))]);
    expect(passes.length).toBeGreaterThanOrEqual(2);
  } finally {
    releaseFirst();
    await queue.close();
  }
}, 20_000);
