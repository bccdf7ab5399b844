import type { PrismaClient } from '../../generated/prisma/client.js';
import type { RunEvent, RunEventBody, StepStatus } from '../../events/runEvent.js';
import type { JsonValue } from '../../core/json.js';

/** A step's move to a new status, written in the same statement as the event that announces it. */
export interface StepTransition {
  readonly stepId: string;
  readonly status: StepStatus;
  /** Only from these statuses (a stale transition changes nothing and emits nothing). */
  readonly fromStatuses?: readonly StepStatus[];
  readonly output?: JsonValue;
  readonly error?: { readonly code: string; readonly message: string };
  readonly startedAt?: Date;
  readonly finishedAt?: Date;
  /** Adds to runs.steps_used in the same statement (the step budget's durable count). */
  readonly countStep?: boolean;
}

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

  /**
   * Step transition + event in ONE statement, so one commit (one WAL flush) per step boundary instead
   * of one per write, and the step's status and its event can never disagree after a crash.
   * Resolves null when the step was not in `fromStatuses` (or the run does not exist).
   */
  async appendWithStep(tenantId: string, runId: string, step: StepTransition, build: (seq: number, at: string) => RunEvent): Promise<RunEvent | null> {
    const at = new Date();
    const draft = build(0, at.toISOString());
    const from = step.fromStatuses ? [...step.fromStatuses] : null;
    const output = step.output === undefined ? null : JSON.stringify(step.output);
    const error = step.error === undefined ? null : JSON.stringify(step.error);
    const rows = await this.prisma.$queryRaw<{ seq: number }[]>`
      WITH st AS (
        UPDATE steps SET
          status = ${step.status},
          output = CASE WHEN ${output !== null} THEN ${output}::jsonb ELSE output END,
          error = CASE WHEN ${error !== null} THEN ${error}::jsonb ELSE error END,
          started_at = COALESCE(${step.startedAt ?? null}::timestamptz, started_at),
          finished_at = COALESCE(${step.finishedAt ?? null}::timestamptz, finished_at),
          updated_at = ${at}
        WHERE id = ${step.stepId}::uuid AND tenant_id = ${tenantId} AND run_id = ${runId}::uuid
          AND (${from}::text[] IS NULL OR status = ANY(${from}::text[]))
        RETURNING id),
      s AS (
        UPDATE runs SET event_seq = event_seq + 1, steps_used = steps_used + ${step.countStep ? 1 : 0}, updated_at = ${at}
        WHERE id = ${runId}::uuid AND tenant_id = ${tenantId} AND EXISTS (SELECT 1 FROM st)
        RETURNING event_seq)
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
