import type { PrismaClient } from '../../generated/prisma/client.js';
import type { RunEvent } from '../../events/runEvent.js';

/** Every persisted event of every run in one web thread, oldest run first, each run in seq order. */
export async function threadHistory(prisma: PrismaClient, tenantId: string, conversationExternalId: string): Promise<RunEvent[]> {
  const conversation = await prisma.conversation.findFirst({ where: { tenantId, channel: 'web', externalId: conversationExternalId }, select: { id: true } });
  if (!conversation) return [];
  const runs = await prisma.run.findMany({
    where: { tenantId, conversationId: conversation.id },
    orderBy: { createdAt: 'asc' },
    select: { id: true },
    take: 100,
  });
  if (runs.length === 0) return [];
  const order = new Map(runs.map((r, i) => [r.id, i]));
  const rows = await prisma.runEventRecord.findMany({
    where: { tenantId, runId: { in: runs.map((r) => r.id) } },
    orderBy: [{ seq: 'asc' }],
  });
  rows.sort((a, b) => (order.get(a.runId)! - order.get(b.runId)!) || a.seq - b.seq);
  return rows.map((row) => row.payload as unknown as RunEvent);
}

/** The gateway's conversation key for a person's web thread; the user id inside it scopes access. */
export function webConversationId(userId: string, threadId: string): string {
  return `web:${userId}:${threadId}`;
}
