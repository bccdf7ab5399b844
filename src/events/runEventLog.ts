import type { PrismaClient } from '../generated/prisma/client.js';
import type { ChannelKind } from '../gateway/turn.js';
import type { RunEvent } from './runEvent.js';

/** A run a channel may still owe something to, with the newest stored seq. */
export interface OpenRun {
  readonly tenantId: string;
  readonly runId: string;
  readonly lastSeq: number;
}

/**
 * The stored event log as renderers read it. Live delivery (pub/sub) is only a wake-up: whatever a
 * renderer missed (a lost publish, events out of order, a restart) it reads back from here.
 */
export interface RunEventLog {
  /** Every stored event of the run after `afterSeq`, in seq order. */
  eventsSince(tenantId: string, runId: string, afterSeq: number): Promise<RunEvent[]>;
  /** Runs replying on `channel` that are not finished, or finished within `recentMs`. */
  openRuns(channel: ChannelKind, recentMs: number): Promise<OpenRun[]>;
}

const TERMINAL = ['completed', 'failed', 'cancelled', 'budget_exceeded'];

/** RunEventLog over run_events and runs in PostgreSQL. */
export class PrismaRunEventLog implements RunEventLog {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async eventsSince(tenantId: string, runId: string, afterSeq: number): Promise<RunEvent[]> {
    const rows = await this.prisma.runEventRecord.findMany({ where: { tenantId, runId, seq: { gt: afterSeq } }, orderBy: { seq: 'asc' } });
    return rows.map((row) => row.payload as unknown as RunEvent);
  }

  async openRuns(channel: ChannelKind, recentMs: number): Promise<OpenRun[]> {
    const since = new Date(this.now().getTime() - recentMs);
    // The newest seq comes from run_events itself, whatever counter the runs row keeps.
    const rows = await this.prisma.$queryRaw<{ tenant_id: string; run_id: string; last_seq: number | null }[]>`
      SELECT r.tenant_id, r.id::text AS run_id, (SELECT MAX(e.seq) FROM run_events e WHERE e.run_id = r.id) AS last_seq
      FROM runs r
      WHERE r.channel = ${channel} AND (r.status <> ALL(${TERMINAL}::text[]) OR r.updated_at >= ${since})`;
    return rows.filter((row) => row.last_seq !== null).map((row) => ({ tenantId: row.tenant_id, runId: row.run_id, lastSeq: Number(row.last_seq) }));
  }
}
