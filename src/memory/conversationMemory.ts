import { z } from 'zod';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { KeyValueStore } from '../infra/keyValue.js';
import { tenantKey } from '../infra/keys.js';
import type { TokenCounter } from '../models/tokenCounter.js';
import type { ConversationTurn } from '../planner/planner.js';
import { provenanceSchema } from './provenance.js';

// Entries cached before provenance was recorded read back as 'unknown', which is untrusted.
const turnSchema = z.object({ role: z.enum(['user', 'assistant', 'summary']), content: z.string(), provenance: provenanceSchema.default('unknown') });
const DAY_MS = 24 * 60 * 60 * 1000;

export interface ConversationMemoryOptions {
  readonly kv: KeyValueStore;
  /** Durable copy; without it history lives only in the cache (tests, embedded demos). */
  readonly prisma?: PrismaClient;
  readonly tokens?: TokenCounter;
  /** Turns kept per thread in the cache. */
  readonly maxTurns?: number;
  readonly ttlMs?: number;
}

/**
 * Conversation history per thread: a KeyValueStore list (24 h TTL) in front of the Postgres
 * `messages` table. When the cache is empty (expired, evicted, new worker) it is rebuilt from
 * Postgres, so a thread's memory survives restarts.
 */
export class ConversationMemory {
  private readonly maxTurns: number;
  private readonly ttlMs: number;
  constructor(private readonly options: ConversationMemoryOptions) {
    this.maxTurns = options.maxTurns ?? 50;
    this.ttlMs = options.ttlMs ?? DAY_MS;
  }

  private key(tenantId: string, conversationId: string): string {
    return tenantKey(tenantId, 'conv', conversationId, 'turns');
  }

  /** Stores a turn durably (when Postgres is configured) and in the cache. */
  async append(input: { tenantId: string; conversationId: string; runId?: string; turn: ConversationTurn }): Promise<void> {
    const turn = turnSchema.parse(input.turn);
    if (this.options.prisma) {
      await this.options.prisma.message.create({
        data: {
          tenantId: input.tenantId,
          conversationId: input.conversationId,
          ...(input.runId ? { runId: input.runId } : {}),
          role: turn.role,
          content: turn.content,
          tokens: this.options.tokens?.count(turn.content) ?? 0,
        },
      });
    }
    await this.options.kv.appendToList(this.key(input.tenantId, input.conversationId), JSON.stringify(turn), { maxLength: this.maxTurns, ttlMs: this.ttlMs });
  }

  /**
   * The most recent turns, oldest first. Turns rebuilt from Postgres have no recorded provenance
   * here and come back 'unknown' (untrusted); the engine reads history with provenance through
   * ThreadHistory instead.
   */
  async recent(tenantId: string, conversationId: string, limit = this.maxTurns): Promise<ConversationTurn[]> {
    const key = this.key(tenantId, conversationId);
    const cached = await this.options.kv.listRange(key, -limit, -1);
    if (cached.length > 0) return cached.flatMap((raw) => parseTurn(raw));
    if (!this.options.prisma) return [];
    const rows = await this.options.prisma.message.findMany({
      where: { tenantId, conversationId },
      orderBy: { createdAt: 'desc' },
      take: Math.min(limit, this.maxTurns),
      select: { role: true, content: true },
    });
    const turns = rows.reverse().flatMap((row) => parseTurn(JSON.stringify(row)));
    for (const turn of turns) await this.options.kv.appendToList(key, JSON.stringify(turn), { maxLength: this.maxTurns, ttlMs: this.ttlMs });
    return turns;
  }
}

function parseTurn(raw: string): ConversationTurn[] {
  try {
    const parsed = turnSchema.safeParse(JSON.parse(raw));
    return parsed.success ? [parsed.data] : [];
  } catch {
    return [];
  }
}
