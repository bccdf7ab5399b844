import type { Logger } from '../core/logger.js';
import { BullmqRunQueue } from './bullmqQueue.js';
import { MemoryRunQueue } from './memoryQueue.js';
import type { QueueOptions, RunQueue } from './runQueue.js';

/** BullMQ when Redis is configured, otherwise the in-process queue with the same contract. */
export function createRunQueue(
  options: Partial<Omit<QueueOptions, 'onDeadLetter'>> & Pick<QueueOptions, 'onDeadLetter'> & { redis?: { url: string; keyPrefix: string }; lockDurationMs?: number },
  logger: Logger,
): RunQueue {
  const base: QueueOptions = { attempts: options.attempts ?? 3, backoffMs: options.backoffMs ?? 500, onDeadLetter: options.onDeadLetter };
  if (options.redis) {
    return new BullmqRunQueue(
      { ...base, redisUrl: options.redis.url, prefix: `${options.redis.keyPrefix}bull`, ...(options.lockDurationMs ? { lockDurationMs: options.lockDurationMs } : {}) },
      logger,
    );
  }
  return new MemoryRunQueue(base, logger);
}
