import { StreamingResponse, StreamingResponseResult, type TurnContext } from '@microsoft/agents-hosting';
import { Activity, ActivityTypes } from '@microsoft/agents-activity';
import type { Logger } from '../../core/logger.js';
import type { StoredReference } from './address.js';
import type { TeamsConversations } from './conversations.js';
import { statusOf } from './retry.js';

function isFinal(activity: Activity): boolean {
  return (activity.entities ?? []).some((e) => String(e.type).toLowerCase() === 'streaminfo' && (e as { streamType?: unknown }).streamType === 'final');
}

interface Segment {
  readonly stream: StreamingResponse;
  readonly context: TurnContext;
  /** Ends the continuation turn that keeps `context` alive. */
  readonly release: () => void;
  /** Settles when the continuation turn has returned. */
  readonly finished: Promise<void>;
  textStarted: boolean;
  /** Set once Teams accepted the `final` activity (the SDK reports success even when a failed send dropped it). */
  finalDelivered: boolean;
}

/**
 * Teams streaming in a personal chat, through the SDK's StreamingResponse (informative typing
 * updates, then `streaming` chunks carrying the whole text so far, then the `final` message, each
 * with its streamSequence, paced by the SDK's delay). A stream cannot outlive a wait for a person,
 * so an approval or account-link pause ends the segment with a message and the next event opens a
 * new one. When Teams refuses streaming, the text still arrives as a plain message.
 */
export class StreamSink {
  private segment?: Promise<Segment | null>;

  constructor(
    private readonly conversations: TeamsConversations,
    private readonly reference: StoredReference,
    private readonly intervalMs: number,
    private readonly logger: Logger,
  ) {}

  async informative(text: string): Promise<void> {
    const segment = await this.open();
    if (!segment || segment.textStarted) return;
    segment.stream.queueInformativeUpdate(text);
  }

  async delta(text: string): Promise<void> {
    const segment = await this.open();
    if (!segment) return;
    segment.textStarted = true;
    segment.stream.queueTextChunk(text);
  }

  /** Ends the current stream (if any) with `text` as its final message. */
  async finish(text: string): Promise<void> {
    const pending = this.segment;
    this.segment = undefined;
    const segment = pending ? await pending : null;
    if (!segment) {
      await this.sendPlain(text);
      return;
    }
    let result: StreamingResponseResult = StreamingResponseResult.Error;
    try {
      segment.stream.setFinalMessage(Activity.fromObject({ type: ActivityTypes.Message, text }));
      result = await segment.stream.endStream();
    } catch (error) {
      this.logger.warn({ status: statusOf(error) }, 'teams stream could not be finished');
    } finally {
      segment.release();
      await segment.finished;
    }
    if (result !== StreamingResponseResult.Success || !segment.finalDelivered) await this.sendPlain(text);
  }

  /** Shutdown: lets any open continuation turn return. */
  close(): void {
    const pending = this.segment;
    this.segment = undefined;
    void pending?.then((segment) => segment?.release());
  }

  private open(): Promise<Segment | null> {
    this.segment ??= this.start();
    return this.segment;
  }

  private start(): Promise<Segment | null> {
    return new Promise<Segment | null>((resolve) => {
      let release!: () => void;
      const released = new Promise<void>((r) => (release = r));
      const finished = this.conversations
        .run(this.reference, async (context) => {
          const stream = new StreamingResponse(context);
          stream.setDelayInMs(this.intervalMs);
          const segment: Segment = { stream, context, release, finished, textStarted: false, finalDelivered: false };
          context.onSendActivities(async (_ctx, activities, next) => {
            const responses = await next();
            if (activities.some(isFinal)) segment.finalDelivered = true;
            return responses;
          });
          resolve(segment);
          await released;
        })
        .catch((error: unknown) => {
          this.logger.warn({ status: statusOf(error) }, 'teams stream could not be opened');
          resolve(null);
        });
    });
  }

  private async sendPlain(text: string): Promise<void> {
    await this.conversations.run(this.reference, async (context) => {
      await context.sendActivity(Activity.fromObject({ type: ActivityTypes.Message, text }));
    });
  }
}
