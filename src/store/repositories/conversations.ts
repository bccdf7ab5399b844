import type { PrismaClient } from '../../generated/prisma/client.js';
import type { JsonValue } from '../../core/json.js';
import { toJson } from './json.js';
import { isUuid } from './users.js';

export interface ConversationRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly channel: string;
  readonly externalId: string;
  readonly address: unknown;
}

type Row = { id: string; tenantId: string; channel: string; externalId: string; address: unknown };
const toRecord = (r: Row): ConversationRecord => ({ id: r.id, tenantId: r.tenantId, channel: r.channel, externalId: r.externalId, address: r.address });

export class ConversationRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /** One row per chat thread; the address is refreshed so replies go where the latest message came from. */
  async getOrCreate(tenantId: string, input: { channel: string; externalId: string; address: JsonValue }): Promise<ConversationRecord> {
    const row = await this.prisma.conversation.upsert({
      where: { tenantId_channel_externalId: { tenantId, channel: input.channel, externalId: input.externalId } },
      create: { tenantId, channel: input.channel, externalId: input.externalId, address: toJson(input.address) },
      update: { address: toJson(input.address) },
    });
    return toRecord(row);
  }

  async byId(tenantId: string, conversationId: string): Promise<ConversationRecord | null> {
    if (!isUuid(conversationId)) return null;
    const row = await this.prisma.conversation.findFirst({ where: { tenantId, id: conversationId } });
    return row ? toRecord(row) : null;
  }

  async find(tenantId: string, channel: string, externalId: string): Promise<ConversationRecord | null> {
    const row = await this.prisma.conversation.findUnique({ where: { tenantId_channel_externalId: { tenantId, channel, externalId } } });
    return row ? toRecord(row) : null;
  }
}
