import type { Run } from '../generated/prisma/client.js';
import type { JsonObject } from '../core/json.js';
import type { RunEventPublisher, RunRef } from '../events/runEventPublisher.js';
import type { ChannelKind } from '../gateway/turn.js';

export function runRefOf(run: Pick<Run, 'id' | 'tenantId' | 'conversationId' | 'userId' | 'channel' | 'reply'>): RunRef {
  return {
    runId: run.id,
    tenantId: run.tenantId,
    conversationId: run.conversationId,
    userId: run.userId,
    reply: { channel: run.channel as ChannelKind, address: (run.reply ?? {}) as JsonObject },
  };
}

export type { RunEventPublisher, RunRef };
