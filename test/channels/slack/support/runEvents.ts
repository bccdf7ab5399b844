import { randomUUID } from 'node:crypto';
import type { RunEvent, RunEventBody } from '../../../../src/events/runEvent.js';
import type { JsonObject } from '../../../../src/core/json.js';

/** Builds a run's events in order (seq increasing), addressed to one Slack thread. */
export function runEventFactory(tenantId: string, address: JsonObject, runId = randomUUID()): { runId: string; next: (body: RunEventBody) => RunEvent } {
  let seq = 0;
  return {
    runId,
    next: (body) => ({
      runId,
      tenantId,
      conversationId: 'conv-1',
      userId: 'user-ada',
      reply: { channel: 'slack', address },
      seq: ++seq,
      at: new Date().toISOString(),
      ...body,
    }) as RunEvent,
  };
}
