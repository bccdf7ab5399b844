import type { AnyChunk, KnownBlock } from '@slack/types';
import type { ChatStreamer, WebClient } from '@slack/web-api';
import type { Logger } from '../../core/logger.js';
import type { SlackAddress } from './address.js';
import type { ViewChange } from './runView.js';
import { SLACK_LIMITS, splitForSlack } from './mrkdwn.js';
import { Pacer, retryAfterMs } from './pacing.js';

/** Delivers a run's view changes into Slack for one thread. */
export interface ProgressSink {
  push(change: ViewChange): void;
  /** Resolves once everything pushed so far has been delivered or given up on. */
  drained(): Promise<void>;
  close(): void;
}

/** Shared pump: one loop per sink, restarted when new work arrives after it went idle. */
abstract class PumpedSink implements ProgressSink {
  protected readonly pacer = new Pacer();
  private running?: Promise<void>;

  abstract push(change: ViewChange): void;
  protected abstract hasWork(): boolean;
  protected abstract step(): Promise<void>;

  protected kick(): void {
    if (this.running || this.pacer.isClosed) return;
    this.running = (async () => {
      while (this.hasWork() && !this.pacer.isClosed) {
        await this.pacer.waitTurn();
        if (this.pacer.isClosed) break;
        await this.step();
      }
    })().finally(() => {
      this.running = undefined;
      if (this.hasWork() && !this.pacer.isClosed) this.kick();
    });
  }

  async drained(): Promise<void> {
    while (this.running) await this.running;
  }

  close(): void {
    this.pacer.close();
  }
}

/**
 * Agent DMs: the checklist and answer stream into one message through the SDK's ChatStreamer
 * (chat.startStream / appendStream / stopStream), with the assistant status line alongside. A 429
 * puts the batch back and waits Retry-After; chunks queued meanwhile are merged into the next call.
 */
export class StreamSink extends PumpedSink {
  private readonly queue: AnyChunk[] = [];
  private status?: string;
  private stopWanted = false;
  private stopped = false;
  private readonly streamer: ChatStreamer;

  constructor(
    private readonly client: WebClient,
    private readonly address: SlackAddress,
    private readonly gapMs: number,
    private readonly logger: Logger,
    /** Streaming is not available for this conversation: the caller switches to edited messages. */
    private readonly onUnavailable: (terminal: boolean) => void,
  ) {
    super();
    this.streamer = client.chatStream({
      channel: address.channel,
      thread_ts: address.threadTs,
      recipient_user_id: address.userId,
      recipient_team_id: address.teamId,
      task_display_mode: 'plan',
    });
  }

  push(change: ViewChange): void {
    if (this.stopped || this.stopWanted) return;
    for (const chunk of change.chunks) {
      if (chunk.type === 'markdown_text') for (const text of splitForSlack(chunk.text, SLACK_LIMITS.streamMarkdown)) this.queue.push({ type: 'markdown_text', text });
      else this.queue.push(chunk);
    }
    if (change.status) this.status = change.status;
    if (change.terminal) this.stopWanted = true;
    this.kick();
  }

  protected hasWork(): boolean {
    return !this.stopped && (this.queue.length > 0 || this.status !== undefined || this.stopWanted);
  }

  protected async step(): Promise<void> {
    if (this.status !== undefined && !this.stopWanted) {
      const status = this.status;
      this.status = undefined;
      try {
        await this.client.assistant.threads.setStatus({ channel_id: this.address.channel, thread_ts: this.address.threadTs, status });
      } catch (error) {
        const wait = retryAfterMs(error);
        if (wait !== null) {
          this.status ??= status;
          this.pacer.spaceNext(wait);
        } else this.logger.debug({ err: error }, 'slack setStatus failed');
      }
      return;
    }
    this.status = undefined;
    const batch = takeBatch(this.queue);
    const finishing = this.stopWanted && this.queue.length === 0;
    try {
      if (finishing) await this.streamer.stop(batch.length > 0 ? { chunks: batch } : undefined);
      else await this.streamer.append({ chunks: batch });
      if (finishing) this.stopped = true;
      this.pacer.spaceNext(this.gapMs);
    } catch (error) {
      const wait = retryAfterMs(error);
      if (wait !== null) {
        this.queue.unshift(...batch);
        this.pacer.spaceNext(wait);
        return;
      }
      if (this.streamer.ts === undefined) {
        this.logger.info({ err: error, channel: this.address.channel }, 'slack streaming unavailable; falling back to message edits');
        this.stopped = true;
        this.queue.length = 0;
        this.onUnavailable(this.stopWanted);
        return;
      }
      this.logger.warn({ err: error, channel: this.address.channel }, 'slack stream update dropped');
      if (finishing) this.stopped = true;
    }
  }
}

/** Takes the next call's worth of chunks, merging adjacent text and keeping only the newest state of each task. */
function takeBatch(queue: AnyChunk[]): AnyChunk[] {
  const batch: AnyChunk[] = [];
  let markdown = 0;
  while (queue.length > 0) {
    const next = queue[0] as AnyChunk;
    if (next.type === 'markdown_text') {
      if (markdown + next.text.length > SLACK_LIMITS.streamMarkdown) break;
      markdown += next.text.length;
      const last = batch[batch.length - 1];
      if (last?.type === 'markdown_text') last.text += next.text;
      else batch.push({ ...next });
    } else if (next.type === 'task_update') {
      const same = batch.findIndex((chunk) => chunk.type === 'task_update' && chunk.id === next.id);
      if (same >= 0) batch.splice(same, 1);
      batch.push(next);
    } else batch.push(next);
    queue.shift();
  }
  return batch;
}

export interface RenderedMessage {
  readonly text: string;
  readonly blocks: KnownBlock[];
  readonly overflow: string[];
}

/**
 * Channel threads (and any conversation where streaming is refused): one progress message, edited
 * with chat.update no more than once per gap. Edits are coalesced: only the latest view is sent, and
 * a 429 delays it by Retry-After rather than losing it.
 */
export class UpdateSink extends PumpedSink {
  private dirty = false;
  private finalWanted = false;
  private finished = false;
  private ts?: string;

  constructor(
    private readonly client: WebClient,
    private readonly address: SlackAddress,
    private readonly gapMs: number,
    private readonly logger: Logger,
    private readonly render: () => RenderedMessage,
  ) {
    super();
  }

  push(change: ViewChange): void {
    if (this.finished) return;
    this.dirty = true;
    if (change.terminal) this.finalWanted = true;
    this.kick();
  }

  protected hasWork(): boolean {
    return !this.finished && (this.dirty || this.finalWanted);
  }

  protected async step(): Promise<void> {
    const { channel, threadTs } = this.address;
    if (this.dirty) {
      this.dirty = false;
      const view = this.render();
      try {
        if (this.ts === undefined) {
          const posted = await this.client.chat.postMessage({ channel, thread_ts: threadTs, text: view.text, blocks: view.blocks });
          this.ts = posted.ts;
        } else {
          await this.client.chat.update({ channel, ts: this.ts, text: view.text, blocks: view.blocks });
        }
        this.pacer.spaceNext(this.gapMs);
      } catch (error) {
        const wait = retryAfterMs(error);
        if (wait === null) {
          this.logger.warn({ err: error, channel }, 'slack progress edit dropped');
          this.pacer.spaceNext(this.gapMs);
          return;
        }
        this.dirty = true;
        this.pacer.spaceNext(wait);
      }
      return;
    }
    const overflow = this.render().overflow;
    while (overflow.length > 0) {
      const piece = overflow[0] as string;
      try {
        await this.client.chat.postMessage({ channel, thread_ts: threadTs, text: piece, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: piece } }] });
        overflow.shift();
      } catch (error) {
        const wait = retryAfterMs(error);
        if (wait === null) {
          this.logger.warn({ err: error, channel }, 'slack answer part dropped');
          overflow.shift();
        } else {
          this.pacer.spaceNext(wait);
          await this.pacer.waitTurn();
        }
      }
    }
    this.finished = true;
  }
}
