import type { PrismaClient } from '../../generated/prisma/client.js';
import { isUuid } from './users.js';

export type MessageRole = 'user' | 'assistant' | 'system' | 'tool';

export interface MessageRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly conversationId: string;
  readonly runId: string | null;
  readonly role: string;
  readonly content: string;
  readonly tokens: number;
  readonly createdAt: Date;
}

export class MessageRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /** `createdAt` lets callers that know the true order (the engine's clock) keep it; ties within a millisecond are otherwise unordered. */
  async append(tenantId: string, input: { conversationId: string; runId?: string; role: MessageRole; content: string; tokens?: number; createdAt?: Date }): Promise<MessageRecord> {
    return this.prisma.message.create({
      data: {
        tenantId, conversationId: input.conversationId, runId: input.runId ?? null, role: input.role, content: input.content, tokens: input.tokens ?? 0,
        ...(input.createdAt ? { createdAt: input.createdAt } : {}),
      },
    });
  }

  /** The last `limit` messages, oldest first (the order a prompt wants them in). */
  async recent(tenantId: string, conversationId: string, limit = 20): Promise<MessageRecord[]> {
    if (!isUuid(conversationId)) return [];
    const rows = await this.prisma.message.findMany({
      where: { tenantId, conversationId }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: Math.max(0, Math.min(limit, 500)),
    });
    return rows.reverse();
  }
}
