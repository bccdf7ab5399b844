import { z } from 'zod';
import type { WebClient } from '@slack/web-api';
import type { RunEvent } from '../../events/runEvent.js';
import type { KeyValueStore } from '../../infra/keyValue.js';
import type { Logger } from '../../core/logger.js';
import type { SlackAddress } from './address.js';
import { approvalDecidedBlocks, approvalRequestBlocks, approvalRequestText, outcomeText, type ApprovalSummary } from './approvalBlocks.js';
import { errorCode } from './directory.js';
import { inlineMrkdwn } from './mrkdwn.js';
import { actionViewSchema } from '../../tools/actionView.js';
import { tenantKey } from '../../infra/keys.js';
import { midSentence } from '../runView/wording.js';

type ApprovalRequested = Extract<RunEvent, { type: 'approval.requested' }>;
type ApprovalDecided = Extract<RunEvent, { type: 'approval.decided' }>;

const postedSchema = z.object({ channel: z.string(), ts: z.string() });
const summarySchema = z.object({
  approvalId: z.string(), requesterName: z.string(), requesterEmail: z.string(), action: z.string(),
  tool: z.string(), risk: z.string(), reason: z.string(), expiresAt: z.string(), view: actionViewSchema.optional(),
});
const lookupSchema = z.object({ user: z.object({ id: z.string() }) });

export interface ApprovalMessagesDeps {
  readonly kv: KeyValueStore;
  readonly logger: Logger;
  readonly profileTtlMs: number;
  /** A stored platform identity for a tenant user, when the product has one (tried before email lookup). */
  readonly findSlackUser?: (tenantId: string, userId: string) => Promise<string | null>;
}

/**
 * The approver side of an approval: one DM per approver, remembered in the shared store so that any
 * process can later replace every copy with the outcome (whoever decided, and when).
 */
export class ApprovalMessages {
  constructor(private readonly deps: ApprovalMessagesDeps) {}

  /** Returns the approvers who could not be reached in Slack, so the requester can be told. */
  async send(event: ApprovalRequested, address: Pick<SlackAddress, 'teamId' | 'enterpriseId'>, client: WebClient): Promise<string[]> {
    const summary: ApprovalSummary = {
      approvalId: event.approvalId,
      requesterName: event.requester.displayName,
      requesterEmail: event.requester.email,
      action: event.action,
      tool: event.tool,
      risk: event.risk,
      reason: event.reason,
      expiresAt: event.expiresAt,
      ...(event.view ? { view: event.view } : {}),
    };
    const ttlMs = Math.max(60_000, new Date(event.expiresAt).getTime() - Date.now() + 24 * 60 * 60 * 1000);
    await this.deps.kv.set(this.key(event.tenantId, event.approvalId, 'summary'), JSON.stringify(summary), { ttlMs });
    const unreachable: string[] = [];
    for (const approver of event.approvers) {
      // A replayed event must not DM the same approver twice.
      const sentKey = this.key(event.tenantId, event.approvalId, `sent:${approver.userId}`);
      if (!(await this.deps.kv.set(sentKey, '1', { ttlMs, onlyIfAbsent: true }))) continue;
      try {
        const slackUserId = await this.slackUserFor(event.tenantId, approver.userId, approver.email, address, client);
        if (!slackUserId) {
          // Not known in Slack yet: tried again by the run view's sweep, so someone who installs the
          // app or first writes to the bot later still gets the request.
          await this.deps.kv.delete(sentKey);
          unreachable.push(approver.displayName);
          continue;
        }
        const posted = postedSchema.parse(await client.chat.postMessage({ channel: slackUserId, text: approvalRequestText(summary), blocks: approvalRequestBlocks(summary) }));
        await this.deps.kv.appendToList(this.key(event.tenantId, event.approvalId, 'messages'), JSON.stringify(posted), { maxLength: 50, ttlMs });
      } catch (error) {
        await this.deps.kv.delete(sentKey);
        this.deps.logger.warn({ err: error, code: errorCode(error), cause: error instanceof Error ? error.message : String(error), approvalId: event.approvalId, approverId: approver.userId }, 'slack approval DM failed');
        unreachable.push(approver.displayName);
      }
    }
    return unreachable;
  }

  /** Replaces every approver's copy with the outcome, buttons removed. */
  async settle(event: ApprovalDecided, client: WebClient): Promise<void> {
    const messages = await this.deps.kv.listRange(this.key(event.tenantId, event.approvalId, 'messages'), 0, -1);
    // Same words as the click handler writes (a mention and the decision's own time), so whichever
    // of the two edits lands last, the approver's message reads the same.
    const outcome = outcomeText(event.decision, await this.deciderLabel(event), event.decidedAt ?? event.at);
    const summary = await this.summary(event.tenantId, event.approvalId);
    for (const raw of messages) {
      const posted = postedSchema.safeParse(JSON.parse(raw));
      if (!posted.success) continue;
      await client.chat
        .update({ channel: posted.data.channel, ts: posted.data.ts, text: outcome, blocks: approvalDecidedBlocks(summary, outcome) })
        .catch((error: unknown) => this.deps.logger.warn({ err: error, approvalId: event.approvalId }, 'slack approval DM update failed'));
    }
  }

  /** The policy's reminder: a new DM next to each approver's request, so it notifies again. */
  async remind(event: Extract<RunEvent, { type: 'approval.reminder' }>, client: WebClient): Promise<void> {
    const messages = await this.deps.kv.listRange(this.key(event.tenantId, event.approvalId, 'messages'), 0, -1);
    const summary = await this.summary(event.tenantId, event.approvalId);
    const who = summary ? inlineMrkdwn(summary.requesterName) : 'A colleague';
    const text = `Reminder: ${who} is still waiting for your decision to ${inlineMrkdwn(midSentence(event.action))}. The request is in the message above.`;
    for (const raw of messages) {
      const posted = postedSchema.safeParse(JSON.parse(raw));
      if (!posted.success) continue;
      await client.chat
        .postMessage({ channel: posted.data.channel, text })
        .catch((error: unknown) => this.deps.logger.warn({ err: error, code: errorCode(error), approvalId: event.approvalId }, 'slack approval reminder failed'));
    }
  }

  private async deciderLabel(event: ApprovalDecided): Promise<string | null> {
    if (!event.decidedBy) return null;
    const slackUserId = await this.deps.findSlackUser?.(event.tenantId, event.decidedBy.userId).catch(() => null);
    return slackUserId ? `<@${slackUserId}>` : inlineMrkdwn(event.decidedBy.displayName);
  }

  async summary(tenantId: string, approvalId: string): Promise<ApprovalSummary | null> {
    const raw = await this.deps.kv.get(this.key(tenantId, approvalId, 'summary'));
    if (raw === null) return null;
    const parsed = summarySchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  }

  private async slackUserFor(tenantId: string, userId: string, email: string, address: Pick<SlackAddress, 'teamId' | 'enterpriseId'>, client: WebClient): Promise<string | null> {
    const stored = await this.deps.findSlackUser?.(tenantId, userId);
    if (stored) return stored;
    const cacheKey = tenantKey(tenantId, 'slack', 'email', address.enterpriseId ?? address.teamId, email.toLowerCase());
    const cached = await this.deps.kv.get(cacheKey);
    if (cached !== null) return cached === '' ? null : cached;
    let found: string | null;
    try {
      found = lookupSchema.parse(await client.users.lookupByEmail({ email })).user.id;
    } catch (error) {
      if (errorCode(error) !== 'users_not_found') throw error;
      found = null;
    }
    await this.deps.kv.set(cacheKey, found ?? '', { ttlMs: this.deps.profileTtlMs });
    return found;
  }

  private key(tenantId: string, approvalId: string, part: string): string {
    return tenantKey(tenantId, 'slack', 'approval', approvalId, part);
  }
}
