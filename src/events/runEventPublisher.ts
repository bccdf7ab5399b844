import type { Logger } from '../core/logger.js';
import type { RawSql, RunEventsTable, RunStatusChange, StepTransition } from '../engine/persistence/runEventsTable.js';
import type { RunEventBus } from './eventBus.js';
import type { ReplyTarget, RunEvent, RunEventBody } from './runEvent.js';

/** Identifies a run for every event it emits. */
export interface RunRef {
  readonly runId: string;
  readonly tenantId: string;
  readonly conversationId: string;
  readonly userId: string;
  readonly reply: ReplyTarget;
}

/** Delays between publish attempts after the first failed one. */
const PUBLISH_RETRY_MS = [100, 500, 2_000, 5_000] as const;

/**
 * Persists an event with the run's next seq BEFORE publishing it, so a renderer that missed a live
 * event can always replay it with eventsSince(). A failed publish is retried in the background (the
 * engine does not wait on pub/sub) and never fatal: the event is already durable, and renderers
 * catch up from the store on a gap and in their periodic sweep.
 */
export class RunEventPublisher {
  private readonly retries = new Set<NodeJS.Timeout>();

  constructor(
    private readonly table: RunEventsTable,
    private readonly bus: RunEventBus,
    private readonly logger: Logger,
    private readonly retryDelaysMs: readonly number[] = PUBLISH_RETRY_MS,
  ) {}

  /** Stops pending publish retries (shutdown). */
  close(): void {
    for (const timer of this.retries) clearTimeout(timer);
    this.retries.clear();
  }

  private async publish(event: RunEvent, attempt = 0): Promise<void> {
    try {
      await this.bus.publish(event);
    } catch (error) {
      const delay = this.retryDelaysMs[attempt];
      if (delay === undefined) {
        this.logger.warn({ err: error, runId: event.runId, type: event.type, seq: event.seq, attempts: attempt + 1 }, 'publishing a run event failed; renderers will catch up from the store');
        return;
      }
      this.logger.debug({ err: error, runId: event.runId, type: event.type, attempt: attempt + 1 }, 'publishing a run event failed; retrying');
      const timer = setTimeout(() => {
        this.retries.delete(timer);
        void this.publish(event, attempt + 1);
      }, delay);
      timer.unref();
      this.retries.add(timer);
    }
  }

  async emit(run: RunRef, body: RunEventBody): Promise<RunEvent | null> {
    const event = await this.table.append(run.tenantId, run.runId, (seq, at) => ({ ...run, ...body, seq, at }) as RunEvent);
    if (!event) return null;
    await this.publish(event);
    return event;
  }

  /** Writes an event in the caller's transaction (with the state it announces); announce() it once that committed. */
  appendIn(db: RawSql, run: RunRef, body: RunEventBody): Promise<RunEvent | null> {
    return this.table.appendIn(db, run.tenantId, run.runId, (seq, at) => ({ ...run, ...body, seq, at }) as RunEvent);
  }

  /** Publishes an event already made durable by appendIn(). */
  async announce(event: RunEvent): Promise<void> {
    await this.publish(event);
  }

  /** A step transition and its event, durable together, then published. Null when the transition did not apply. */
  async emitWithStep(run: RunRef, step: StepTransition, body: RunEventBody): Promise<RunEvent | null> {
    const event = await this.table.appendWithStep(run.tenantId, run.runId, step, (seq, at) => ({ ...run, ...body, seq, at }) as RunEvent);
    if (!event) return null;
    await this.publish(event);
    return event;
  }

  /** A run's terminal status and its event, durable together (once), then published. Null when the run was no longer open. */
  async emitWithRunStatus(run: RunRef, change: RunStatusChange, body: RunEventBody): Promise<RunEvent | null> {
    const event = await this.table.appendWithRunStatus(run.tenantId, run.runId, change, (seq, at) => ({ ...run, ...body, seq, at }) as RunEvent);
    if (!event) return null;
    await this.publish(event);
    return event;
  }

  /** Replay for renderers and the operations view: every persisted event of the run after `seq`. */
  eventsSince(tenantId: string, runId: string, seq: number): Promise<RunEvent[]> {
    return this.table.since(tenantId, runId, seq);
  }
}
