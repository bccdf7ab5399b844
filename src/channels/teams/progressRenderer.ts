import { randomUUID } from 'node:crypto';
import { Activity, ActivityTypes } from '@microsoft/agents-activity';
import type { RunEvent } from '../../events/runEvent.js';
import type { KeyValueStore } from '../../infra/keyValue.js';
import { tenantKey } from '../../infra/keys.js';
import type { Logger } from '../../core/logger.js';
import { teamsAddressSchema, type TeamsAddress } from './address.js';
import type { ApprovalCards } from './approvalCards.js';
import type { TeamsConversations } from './conversations.js';
import { TeamsRunView, type ViewChange } from './runView.js';
import { StreamSink } from './streamSink.js';
import { UpdateSink } from './updateSink.js';

/** A run is rendered by one process; the claim is refreshed by each event and lapses if that process dies. */
const OWNER_TTL_MS = 10 * 60 * 1000;

interface RunRender {
  readonly address: TeamsAddress;
  readonly view: TeamsRunView;
  readonly sink: { kind: 'stream'; stream: StreamSink } | { kind: 'update'; update: UpdateSink };
  /** Events of one run are applied strictly in order. */
  chain: Promise<void>;
}

export interface TeamsProgressDeps {
  readonly conversations: TeamsConversations;
  readonly approvals: ApprovalCards;
  readonly kv: KeyValueStore;
  readonly logger: Logger;
  readonly streamIntervalMs: number;
  readonly minEditIntervalMs: number;
}

/**
 * RunEvents → the requester's Teams chat: streamed in personal chats, one edited message in group
 * chats and channels; approval requests become cards for the approvers. Per-run state lives in one
 * map and is dropped when the run ends.
 */
export class TeamsProgressRenderer {
  private readonly runs = new Map<string, RunRender>();
  private readonly adopting = new Map<string, Promise<RunRender | null>>();
  private readonly instance = randomUUID();

  constructor(private readonly deps: TeamsProgressDeps) {}

  /** Bus handler: never throws, and returns once the event is queued (Teams pacing must not slow the engine). */
  async handle(event: RunEvent): Promise<void> {
    if (event.reply.channel !== 'teams') return;
    try {
      const render = this.runs.get(event.runId) ?? (await this.adoptOnce(event));
      if (!render) return;
      render.chain = render.chain.then(() => this.apply(render, event)).catch((error: unknown) => {
        this.deps.logger.error({ err: { message: error instanceof Error ? error.message : String(error) }, runId: event.runId, type: event.type }, 'teams progress render failed');
      });
    } catch (error) {
      this.deps.logger.error({ err: { message: error instanceof Error ? error.message : String(error) }, runId: event.runId }, 'teams progress render failed');
    }
  }

  /** Waits until every run's pending Teams calls are done (tests, graceful shutdown). */
  async idle(): Promise<void> {
    await Promise.all([...this.runs.values()].map(async (render) => {
      await render.chain;
      if (render.sink.kind === 'update') await render.sink.update.drained();
    }));
  }

  close(): void {
    for (const render of this.runs.values()) {
      if (render.sink.kind === 'stream') render.sink.stream.close();
      else render.sink.update.close();
    }
    this.runs.clear();
  }

  get activeRuns(): number {
    return this.runs.size;
  }

  private async adoptOnce(event: RunEvent): Promise<RunRender | null> {
    const pending = this.adopting.get(event.runId);
    if (pending) return pending;
    const attempt = this.adopt(event).finally(() => this.adopting.delete(event.runId));
    this.adopting.set(event.runId, attempt);
    return attempt;
  }

  private async adopt(event: RunEvent): Promise<RunRender | null> {
    const parsed = teamsAddressSchema.safeParse(event.reply.address);
    if (!parsed.success) {
      this.deps.logger.warn({ runId: event.runId }, 'teams run event without a usable address ignored');
      return null;
    }
    if (!(await this.deps.kv.set(this.ownerKey(event), this.instance, { ttlMs: OWNER_TTL_MS, onlyIfAbsent: true }))) return null;
    const address = parsed.data;
    const view = new TeamsRunView();
    const { conversations, logger } = this.deps;
    const sink: RunRender['sink'] =
      address.mode === 'stream'
        ? { kind: 'stream', stream: new StreamSink(conversations, address.reference, this.deps.streamIntervalMs, logger) }
        : { kind: 'update', update: new UpdateSink(conversations, address.reference, address.replyToId, this.deps.minEditIntervalMs, () => view.render(), logger) };
    const render: RunRender = { address, view, sink, chain: Promise.resolve() };
    this.runs.set(event.runId, render);
    return render;
  }

  private async apply(render: RunRender, event: RunEvent): Promise<void> {
    const change = render.view.apply(event);
    if (!change) return;
    await this.deps.kv.set(this.ownerKey(event), this.instance, { ttlMs: OWNER_TTL_MS });
    await this.show(render, change);
    if (event.type === 'approval.requested') {
      const unreachable = await this.deps.approvals.send(event, render.address);
      if (unreachable.length > 0) {
        await this.notify(render, `I could not reach ${unreachable.join(', ')} in Microsoft Teams. Your request stays pending until an approver decides.`);
      }
    } else if (event.type === 'approval.decided') {
      await this.deps.approvals.settle(event);
    }
    if (change.terminal) {
      // Replayed events of a finished run must not open a second message.
      await this.deps.kv.set(this.ownerKey(event), `done:${this.instance}`, { ttlMs: OWNER_TTL_MS });
      if (render.sink.kind === 'update') await render.sink.update.drained();
      if (this.runs.get(event.runId) === render) this.runs.delete(event.runId);
    }
  }

  private async show(render: RunRender, change: ViewChange): Promise<void> {
    if (render.sink.kind === 'update') {
      render.sink.update.push();
      return;
    }
    const stream = render.sink.stream;
    if (change.informative) await stream.informative(change.informative);
    if (change.delta) await stream.delta(change.delta);
    if (change.pause) await stream.finish(change.pause);
    if (change.final) await stream.finish(change.final);
  }

  private async notify(render: RunRender, text: string): Promise<void> {
    const reference = render.address.replyToId && render.address.mode === 'update' ? { ...render.address.reference, activityId: render.address.replyToId } : render.address.reference;
    await this.deps.conversations.run(reference, async (context) => {
      await context.sendActivity(Activity.fromObject({ type: ActivityTypes.Message, text }));
    });
  }

  private ownerKey(event: RunEvent): string {
    return tenantKey(event.tenantId, 'teams', 'render', event.runId);
  }
}
