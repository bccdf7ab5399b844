import type { Logger } from '../core/logger.js';
import type { RunEventsTable, StepTransition } from '../engine/persistence/runEventsTable.js';
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

/**
 * Persists an event with the run's next seq BEFORE publishing it, so a renderer that missed a live
 * event can always replay it with eventsSince(). A failed publish is logged, never fatal: the event
 * is already durable.
 */
export class RunEventPublisher {
  constructor(
    private readonly table: RunEventsTable,
    private readonly bus: RunEventBus,
    private readonly logger: Logger,
  ) {}

  async emit(run: RunRef, body: RunEventBody): Promise<RunEvent | null> {
    const event = await this.table.append(run.tenantId, run.runId, (seq, at) => ({ ...run, ...body, seq, at }) as RunEvent);
    if (!event) return null;
    await this.bus.publish(event).catch((error: unknown) => this.logger.warn({ err: error, runId: run.runId, type: body.type }, 'publishing a run event failed'));
    return event;
  }

  /** A step transition and its event, durable together, then published. Null when the transition did not apply. */
  async emitWithStep(run: RunRef, step: StepTransition, body: RunEventBody): Promise<RunEvent | null> {
    const event = await this.table.appendWithStep(run.tenantId, run.runId, step, (seq, at) => ({ ...run, ...body, seq, at }) as RunEvent);
    if (!event) return null;
    await this.bus.publish(event).catch((error: unknown) => this.logger.warn({ err: error, runId: run.runId, type: body.type }, 'publishing a run event failed'));
    return event;
  }

  /** Replay for renderers and the operations view: every persisted event of the run after `seq`. */
  eventsSince(tenantId: string, runId: string, seq: number): Promise<RunEvent[]> {
    return this.table.since(tenantId, runId, seq);
  }
}
