import { Activity, ActivityTypes } from '@microsoft/agents-activity';
import type { Logger } from '../../core/logger.js';
import type { StoredReference } from './address.js';
import type { TeamsConversations } from './conversations.js';
import { statusOf } from './retry.js';

/**
 * One progress message in a group chat or channel, posted under the employee's message and then
 * edited in place. Edits are coalesced (only the newest view is sent) and spaced by the minimum
 * interval, so a burst of events costs one edit per interval, never a queue of stale ones.
 */
export class UpdateSink {
  private activityId?: string;
  private dirty = false;
  private loop?: Promise<void>;
  private notBefore = 0;
  private closed = false;
  private wake?: () => void;

  constructor(
    private readonly conversations: TeamsConversations,
    private readonly reference: StoredReference,
    private readonly replyToId: string | undefined,
    private readonly minIntervalMs: number,
    private readonly render: () => string,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  push(): void {
    this.dirty = true;
    this.loop ??= this.drain().finally(() => (this.loop = undefined));
  }

  /** Resolves when the newest view has been delivered (or delivery gave up). */
  async drained(): Promise<void> {
    while (this.loop) await this.loop;
  }

  close(): void {
    this.closed = true;
    this.wake?.();
  }

  private async drain(): Promise<void> {
    while (this.dirty && !this.closed) {
      await this.waitTurn();
      this.dirty = false;
      const text = this.render();
      try {
        await this.deliver(text);
      } catch (error) {
        this.logger.warn({ status: statusOf(error) }, 'teams progress message could not be delivered');
      }
      this.notBefore = this.now() + this.minIntervalMs;
    }
  }

  private async deliver(text: string): Promise<void> {
    const reference = this.replyToId ? { ...this.reference, activityId: this.replyToId } : this.reference;
    await this.conversations.run(reference, async (context) => {
      if (!this.activityId) {
        const sent = await context.sendActivity(Activity.fromObject({ type: ActivityTypes.Message, text }));
        this.activityId = sent?.id;
        return;
      }
      await context.updateActivity(Activity.fromObject({ type: ActivityTypes.Message, id: this.activityId, text }));
    });
  }

  private async waitTurn(): Promise<void> {
    const delay = this.notBefore - this.now();
    if (delay <= 0 || this.closed) return;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, delay);
      this.wake = done;
    });
  }
}
