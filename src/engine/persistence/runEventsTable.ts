import type { PrismaClient } from '../../generated/prisma/client.js';
import type { RunEvent, RunEventBody } from '../../events/runEvent.js';

/** run_events with the per-run sequence taken from runs.event_seq in the same statement. */
export class RunEventsTable {
  constructor(private readonly prisma: PrismaClient) {}

  /**
   * Takes the next seq from runs.event_seq and inserts the event in one statement, so a crash can
   * never leave a gap or a duplicate. Resolves null when the run does not exist for this tenant.
   */
  async append(tenantId: string, runId: string, build: (seq: number, at: string) => RunEvent): Promise<RunEvent | null> {
    const at = new Date();
    const draft = build(0, at.toISOString());
    const rows = await this.prisma.$queryRaw<{ seq: number }[]>`
      WITH s AS (UPDATE runs SET event_seq = event_seq + 1 WHERE id = ${runId}::uuid AND tenant_id = ${tenantId} RETURNING event_seq)
      INSERT INTO run_events (tenant_id, run_id, seq, type, payload, created_at)
      SELECT ${tenantId}, ${runId}::uuid, s.event_seq, ${draft.type}, jsonb_set(${JSON.stringify(draft)}::jsonb, '{seq}', to_jsonb(s.event_seq)), ${at}
      FROM s RETURNING seq`;
    const seq = rows[0]?.seq;
    return seq === undefined ? null : { ...draft, seq };
  }

  async since(tenantId: string, runId: string, afterSeq: number): Promise<RunEvent[]> {
    const rows = await this.prisma.runEventRecord.findMany({ where: { tenantId, runId, seq: { gt: afterSeq } }, orderBy: { seq: 'asc' } });
    return rows.map((row) => row.payload as unknown as RunEvent);
  }
}

export type { RunEventBody };
