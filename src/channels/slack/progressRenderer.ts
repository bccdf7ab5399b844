import type { WebClient } from '@slack/web-api';
import type { RunEvent } from '../../events/runEvent.js';
import type { RunEventLog } from '../../events/runEventLog.js';
import type { KeyValueStore } from '../../infra/keyValue.js';
import type { Logger } from '../../core/logger.js';
import { RunFollower, type RunSurface } from '../runView/runFollower.js';
import type { ApproverOutreach } from '../runView/approverOutreach.js';
import type { RunViewState, ViewUpdate } from '../runView/runViewState.js';
import type { ApprovalDelivery } from '../runView/wording.js';
import { slackAddressSchema, type SlackAddress } from './address.js';
import type { ApprovalMessages } from './approvalMessages.js';
import { cancelRequestBlocks } from './approvalBlocks.js';
import { tenantKey } from '../../infra/keys.js';
import { z } from 'zod';
import { postLinkPrompt } from './privateLink.js';
import { RunView } from './runView.js';
import { StreamSink, UpdateSink, type ProgressSink } from './sinks.js';
import type { SlackClientProvider } from './webClients.js';

export interface ProgressRendererDeps {
  readonly clients: SlackClientProvider;
  readonly kv: KeyValueStore;
  readonly logger: Logger;
  readonly approvals: ApprovalMessages;
  readonly minEditIntervalMs: number;
  readonly minStreamIntervalMs: number;
  /** The stored run events: gaps, restarts and the periodic sweep catch up from here. */
  readonly log?: RunEventLog;
  readonly catchUpIntervalMs?: number;
  /** The other chat platforms, where this platform's requesters' approvers are also reached. */
  readonly elsewhere?: () => readonly ApproverOutreach[];
}

/**
 * Renders runs into Slack: the requester's thread (streamed in agent DMs, one edited message in
 * channels) and approval DMs. Ordering, catch-up and the words are the platform-neutral run view's
 * (src/channels/runView); this file only turns its updates into Slack calls.
 */
export class SlackProgressRenderer {
  private readonly follower: RunFollower;

  constructor(private readonly deps: ProgressRendererDeps) {
    this.follower = new RunFollower({
      channel: 'slack',
      kv: deps.kv,
      logger: deps.logger,
      ...(deps.log ? { log: deps.log } : {}),
      ...(deps.catchUpIntervalMs !== undefined ? { sweepIntervalMs: deps.catchUpIntervalMs } : {}),
      ...(deps.elsewhere ? { elsewhere: deps.elsewhere } : {}),
      open: (event, state) => this.open(event, state),
    });
  }

  /** Bus handler: never throws. */
  handle(event: RunEvent): Promise<void> {
    return this.follower.handle(event);
  }

  /** Catches up with what was stored while this process was not listening, then keeps sweeping. */
  start(): Promise<void> {
    return this.follower.start();
  }

  /** Waits for every run's pending Slack calls (tests, graceful shutdown). */
  idle(): Promise<void> {
    return this.follower.idle();
  }

  close(): void {
    this.follower.close();
  }

  get activeRuns(): number {
    return this.follower.activeRuns;
  }

  private async open(event: RunEvent, state: RunViewState): Promise<RunSurface | null> {
    const address = slackAddressSchema.safeParse(event.reply.address);
    if (!address.success) {
      this.deps.logger.warn({ runId: event.runId }, 'slack run event without a usable address ignored');
      return null;
    }
    const client = await this.deps.clients.forWorkspace(address.data.teamId, address.data.enterpriseId);
    return new SlackRunSurface(this.deps, address.data, client, state);
  }
}

type ApprovalRequested = Extract<RunEvent, { type: 'approval.requested' }>;
const postedSchema = z.object({ channel: z.string(), ts: z.string() });
type ApprovalDecided = Extract<RunEvent, { type: 'approval.decided' }>;

/** One run's Slack thread: a stream (agent DMs) or one edited message, plus approval DMs. */
class SlackRunSurface implements RunSurface {
  private readonly view: RunView;
  private sink: ProgressSink;

  constructor(
    private readonly deps: ProgressRendererDeps,
    private readonly address: SlackAddress,
    private readonly client: WebClient,
    private readonly state: RunViewState,
  ) {
    this.view = new RunView(state);
    this.sink = this.updateSink();
    if (address.mode === 'stream') {
      this.sink = new StreamSink(client, address, deps.minStreamIntervalMs, deps.logger, (terminal) => {
        this.sink = this.updateSink();
        this.sink.push({ chunks: [], terminal });
      });
    }
  }

  async requestApproval(event: ApprovalRequested): Promise<ApprovalDelivery> {
    const unreachable = new Set(await this.deps.approvals.send(event, this.address, this.client));
    return {
      asked: event.approvers.filter((a) => !unreachable.has(a.displayName)),
      unreachable: event.approvers.filter((a) => unreachable.has(a.displayName)).map((approver) => ({ approver, where: 'Slack' })),
    };
  }

  async settleApproval(event: ApprovalDecided): Promise<void> {
    await this.deps.approvals.settle(event, this.client);
    // The requester's cancel button goes once the request no longer waits.
    const raw = await this.deps.kv.get(this.cancelKey(event.tenantId, event.approvalId));
    const posted = raw ? postedSchema.safeParse(JSON.parse(raw)) : null;
    if (posted?.success) {
      const text = event.decision === 'cancelled' ? 'You cancelled this request.' : 'This request is no longer waiting for a decision.';
      await this.client.chat.update({ channel: posted.data.channel, ts: posted.data.ts, text, blocks: [{ type: 'context', elements: [{ type: 'mrkdwn', text }] }] })
        .catch((error: unknown) => this.deps.logger.warn({ err: error, approvalId: event.approvalId }, 'slack cancel offer could not be updated'));
    }
  }

  /** Below the announcement of the wait, once: the requester's Cancel button. */
  private async offerCancel(event: ApprovalRequested): Promise<void> {
    const key = this.cancelKey(event.tenantId, event.approvalId);
    const ttlMs = Math.max(60_000, Date.parse(event.expiresAt) - Date.now() + 24 * 60 * 60 * 1000);
    if (!(await this.deps.kv.set(key, '', { ttlMs, onlyIfAbsent: true }))) return;
    await this.drained();
    const text = 'Changed your mind? You can cancel this request while it waits for a decision.';
    const posted = await this.client.chat.postMessage({ channel: this.address.channel, thread_ts: this.address.threadTs, text, blocks: cancelRequestBlocks(event.approvalId) });
    if (posted.ts) await this.deps.kv.set(key, JSON.stringify({ channel: this.address.channel, ts: posted.ts }), { ttlMs });
  }

  private cancelKey(tenantId: string, approvalId: string): string {
    return tenantKey(tenantId, 'slack', 'approval', approvalId, 'cancel');
  }

  async remindApprovers(event: Extract<RunEvent, { type: 'approval.reminder' }>): Promise<void> {
    await this.deps.approvals.remind(event, this.client);
  }

  async show(event: RunEvent, update: ViewUpdate): Promise<void> {
    this.sink.push(this.view.change(update, this.state.answer));
    if (event.type === 'approval.requested') await this.offerCancel(event);
    // Only the requester may see the link: ephemeral (or a DM) in shared channels (issue 11).
    if (event.type === 'account.link_required') await postLinkPrompt(this.client, this.address, event, this.deps.logger);
  }

  async drained(): Promise<void> {
    // A stream that fell back to edits swaps its sink while draining; wait for the new one too.
    let sink: ProgressSink;
    do {
      sink = this.sink;
      await sink.drained();
    } while (sink !== this.sink);
  }

  close(): void {
    this.sink.close();
  }

  private updateSink(): ProgressSink {
    return new UpdateSink(this.client, this.address, this.deps.minEditIntervalMs, this.deps.logger, () => this.view.render());
  }
}
