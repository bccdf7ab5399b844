import type { PrismaClient } from '../generated/prisma/client.js';
import type { ConversationTurn } from '../planner/planner.js';
import { provenanceOf } from './provenance.js';

interface Row {
  role: string;
  content: string;
  run_user_id: string | null;
  run_untrusted: boolean | null;
}

/**
 * A thread's history as the planner of one run sees it: each turn knows whose words it is (the
 * requester's, Switchboard's own answer, an answer derived from tool output, someone else's), from
 * the run each stored message belongs to. One statement per planning call.
 */
export class ThreadHistory {
  constructor(private readonly prisma: PrismaClient) {}

  /** Oldest first, the newest `limit` messages written before `before` (the run's creation). */
  async recent(input: { tenantId: string; conversationId: string; requesterId: string; limit: number; before: Date }): Promise<ConversationTurn[]> {
    const rows = await this.prisma.$queryRaw<Row[]>`
      SELECT m.role, m.content, r.user_id::text AS run_user_id, r.untrusted_context AS run_untrusted
      FROM messages m
      LEFT JOIN runs r ON r.id = m.run_id AND r.tenant_id = m.tenant_id
      WHERE m.tenant_id = ${input.tenantId} AND m.conversation_id = ${input.conversationId}::uuid AND m.created_at < ${input.before}
      ORDER BY m.created_at DESC
      LIMIT ${input.limit}`;
    return rows.reverse().map((row) => ({
      role: row.role === 'assistant' ? 'assistant' : row.role === 'summary' ? 'summary' : 'user',
      content: row.content,
      provenance: provenanceOf({ role: row.role, runUserId: row.run_user_id, runUntrusted: row.run_untrusted === true }, input.requesterId),
    }));
  }
}
