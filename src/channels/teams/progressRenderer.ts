import type { RunEvent } from '../../events/runEvent.js';
import type { RunEventLog } from '../../events/runEventLog.js';
import type { KeyValueStore } from '../../infra/keyValue.js';
import type { Logger } from '../../core/logger.js';
import { RunFollower, type RunSurface } from '../runView/runFollower.js';
import type { ApproverOutreach } from '../runView/approverOutreach.js';
import type { RunViewState, ViewUpdate } from '../runView/runViewState.js';
import type { ApprovalDelivery } from '../runView/wording.js';
import { teamsAddressSchema, type TeamsAddress } from './address.js';
import type { ApprovalCards } from './approvalCards.js';
import type { TeamsConversations } from './conversations.js';
import { isSharedConversation, sendLinkPrivately } from './privateLink.js';
import { TeamsRunView } from './runView.js';
import { StreamSink } from './streamSink.js';
import { UpdateSink } from './updateSink.js';
import { Activity, ActivityTypes } from '@microsoft/agents-activity';
import { tenantKey } from '../../infra/keys.js';
import { cancelRequestCard } from './approvalCard.js';

export interface TeamsProgressDeps {
  readonly conversations: TeamsConversations;
  readonly approvals: ApprovalCards;
  readonly kv: KeyValueStore;
  readonly logger: Logger;
  readonly streamIntervalMs: number;
  readonly minEditIntervalMs: number;
  /** The stored run events: gaps, restarts and the periodic sweep catch up from here. */
  readonly log?: RunEventLog;
  readonly catchUpIntervalMs?: number;
  /** The other chat platforms, where this platform's requesters' approvers are also reached. */
  readonly elsewhere?: () => readonly ApproverOutreach[];
}

/**
 * Renders runs into Teams: streamed in personal chats, one edited message in group chats and
 * channels; approval requests become cards for the approvers. Ordering, catch-up and the words are
 * the platform-neutral run view's (src/channels/runView); this file only makes the Teams calls.
 */
export class TeamsProgressRenderer {
  private readonly follower: RunFollower;

  constructor(private readonly deps: TeamsProgressDeps) {
    this.follower = new RunFollower({
      channel: 'teams',
      kv: deps.kv,
      logger: deps.logger,
      ...(deps.log ? { log: deps.log } : {}),
      ...(deps.catchUpIntervalMs !== undefined ? { sweepIntervalMs: deps.catchUpIntervalMs } : {}),
      ...(deps.elsewhere ? { elsewhere: deps.elsewhere } : {}),
      open: async (event, state) => this.open(event, state),
    });
  }

  /**
   * Bus handler: never throws, and returns once the event is queued (Teams pacing must not slow the
   * engine); `idle()` waits for delivery.
   */
  async handle(event: RunEvent): Promise<void> {
    void this.follower.handle(event);
  }

  /** Catches up with what was stored while this process was not listening, then keeps sweeping. */
  start(): Promise<void> {
    return this.follower.start();
  }

  /** Waits until every run's pending Teams calls are done (tests, graceful shutdown). */
  async idle(): Promise<void> {
    await this.follower.idle();
  }

  close(): void {
    this.follower.close();
  }

  get activeRuns(): number {
    return this.follower.activeRuns;
  }

  private open(event: RunEvent, state: RunViewState): RunSurface | null {
    const parsed = teamsAddressSchema.safeParse(event.reply.address);
    if (!parsed.success) {
      this.deps.logger.warn({ runId: event.runId }, 'teams run event without a usable address ignored');
      return null;
    }
    return new TeamsRunSurface(this.deps, parsed.data, state);
  }
}

type ApprovalRequested = Extract<RunEvent, { type: 'approval.requested' }>;
type ApprovalDecided = Extract<RunEvent, { type: 'approval.decided' }>;

/** One run's Teams conversation: a stream (personal chats) or one edited message, plus approval cards. */
class TeamsRunSurface implements RunSurface {
  private readonly view: TeamsRunView;
  private readonly stream?: StreamSink;
  private readonly update?: UpdateSink;

  constructor(
    private readonly deps: TeamsProgressDeps,
    private readonly address: TeamsAddress,
    state: RunViewState,
  ) {
    this.view = new TeamsRunView(state, { privateLinks: isSharedConversation(address) });
    if (address.mode === 'stream') this.stream = new StreamSink(deps.conversations, address.reference, deps.streamIntervalMs, deps.logger);
    else this.update = new UpdateSink(deps.conversations, address.reference, address.replyToId, deps.minEditIntervalMs, () => this.view.render(), deps.logger);
  }

  async requestApproval(event: ApprovalRequested): Promise<ApprovalDelivery> {
    const unreachable = new Set(await this.deps.approvals.send(event, this.address));
    const others = event.approvers.filter((a) => a.userId !== event.userId);
    return {
      asked: others.filter((a) => !unreachable.has(a.displayName)),
      unreachable: others.filter((a) => unreachable.has(a.displayName)).map((approver) => ({ approver, where: 'Microsoft Teams' })),
    };
  }

  async settleApproval(event: ApprovalDecided): Promise<void> {
    await this.deps.approvals.settle(event);
    // The Cancel button goes once the request no longer waits.
    const activityId = await this.deps.kv.get(tenantKey(event.tenantId, 'teams', 'approval', event.approvalId, 'cancel'));
    if (!activityId) return;
    const text = event.decision === 'cancelled' ? 'You cancelled this request.' : 'This request is no longer waiting for a decision.';
    await this.deps.conversations
      .run(this.address.reference, (context) => context.updateActivity(Activity.fromObject({ type: ActivityTypes.Message, id: activityId, text })))
      .catch((error: unknown) => this.deps.logger.warn({ err: { message: error instanceof Error ? error.message : String(error) }, approvalId: event.approvalId }, 'teams cancel offer could not be updated'));
  }

  async remindApprovers(event: Extract<RunEvent, { type: 'approval.reminder' }>): Promise<void> {
    await this.deps.approvals.remind(event);
  }

  async show(event: RunEvent, update: ViewUpdate): Promise<void> {
    if (this.update) {
      this.update.push();
      // Only the requester may see the link: a 1:1 chat, never the group or channel (issue 11).
      if (event.type === 'account.link_required') await sendLinkPrivately(this.deps, this.address, event);
      if (update.terminal) await this.update.drained();
    } else {
      const stream = this.stream as StreamSink;
      const change = this.view.change(event, update);
      if (change.informative) await stream.informative(change.informative);
      if (change.delta) await stream.delta(change.delta);
      if (change.pause) await stream.finish(change.pause);
      if (change.final) await stream.finish(change.final);
    }
    if (event.type === 'approval.requested') await this.offerCancel(event);
  }

  /** After the wait is announced, once: a card with the requester's Cancel button. */
  private async offerCancel(event: Extract<RunEvent, { type: 'approval.requested' }>): Promise<void> {
    const key = tenantKey(event.tenantId, 'teams', 'approval', event.approvalId, 'cancel');
    const ttlMs = Math.max(60_000, Date.parse(event.expiresAt) - Date.now() + 24 * 60 * 60 * 1000);
    if (!(await this.deps.kv.set(key, '', { ttlMs, onlyIfAbsent: true }))) return;
    await this.update?.drained();
    const { reference, replyToId, mode } = this.address;
    const target = replyToId && mode === 'update' ? { ...reference, activityId: replyToId } : reference;
    try {
      const activityId = await this.deps.conversations.run(target, async (context) => (await context.sendActivity(Activity.fromObject({ type: ActivityTypes.Message, attachments: [cancelRequestCard(event.approvalId)] })))?.id);
      if (activityId) await this.deps.kv.set(key, activityId, { ttlMs });
    } catch (error) {
      this.deps.logger.warn({ err: { message: error instanceof Error ? error.message : String(error) }, approvalId: event.approvalId }, 'teams cancel offer could not be sent');
    }
  }

  async drained(): Promise<void> {
    await this.update?.drained();
  }

  close(): void {
    this.stream?.close();
    this.update?.close();
  }
}
