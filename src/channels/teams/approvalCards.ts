import { z } from 'zod';
import { Activity, ActivityTypes, type Attachment } from '@microsoft/agents-activity';
import type { RunEvent } from '../../events/runEvent.js';
import type { KeyValueStore } from '../../infra/keyValue.js';
import { tenantKey } from '../../infra/keys.js';
import { midSentence } from '../runView/wording.js';
import type { Logger } from '../../core/logger.js';
import { conversationReferenceSchema, type StoredReference, type TeamsAddress } from './address.js';
import { decidedCard, pendingCard, type ApprovalCardView, type CardDecision } from './approvalCard.js';
import type { TeamsConversations } from './conversations.js';
import type { TeamsReferenceStore } from './references.js';
import { statusOf } from './retry.js';
import { actionViewSchema } from '../../tools/actionView.js';
import { oneLine } from '../../core/inertText.js';

const recordSchema = z.object({
  view: z.object({
    approvalId: z.string(), action: z.string(), tool: z.string(), risk: z.string(), reason: z.string(), requesterName: z.string(), expiresAt: z.string(),
    details: actionViewSchema.optional(),
  }),
  approverUserIds: z.array(z.string()),
  cards: z.array(z.object({ reference: conversationReferenceSchema, activityId: z.string(), userId: z.string() })),
  outcome: z.object({ decision: z.enum(['approved', 'denied', 'expired', 'cancelled']), byName: z.string().optional(), at: z.string().optional() }).optional(),
});
type ApprovalRecord = z.infer<typeof recordSchema>;

type Requested = Extract<RunEvent, { type: 'approval.requested' }>;
type Decided = Extract<RunEvent, { type: 'approval.decided' }>;

/** Kept a day past expiry so late clicks still get an accurate card. */
const KEEP_AFTER_EXPIRY_MS = 24 * 60 * 60 * 1000;

/**
 * Approval cards in approvers' personal chats: sent proactively with their stored conversation
 * reference (or a 1:1 chat opened for them), remembered per approval in the shared store, and
 * replaced by the decided card for everyone once the request is settled.
 */
export class ApprovalCards {
  constructor(
    private readonly deps: {
      readonly conversations: TeamsConversations;
      readonly references: TeamsReferenceStore;
      readonly kv: KeyValueStore;
      readonly logger: Logger;
      readonly now: () => Date;
    },
  ) {}

  /** Sends a card to each approver; returns the names of those who could not be reached in Teams. */
  async send(event: Requested, requesterAddress?: TeamsAddress): Promise<string[]> {
    const view: ApprovalCardView = {
      approvalId: event.approvalId,
      action: event.action,
      tool: event.tool,
      risk: event.risk,
      reason: event.reason,
      requesterName: event.requester.displayName,
      expiresAt: event.expiresAt,
      ...(event.view ? { details: event.view } : {}),
    };
    const record: ApprovalRecord = (await this.load(event.tenantId, event.approvalId)) ?? { view: recordSchema.shape.view.parse(view), approverUserIds: [], cards: [] };
    record.approverUserIds = event.approvers.map((a) => a.userId);
    const unreachable: string[] = [];
    for (const approver of event.approvers) {
      if (approver.userId === event.userId) continue;
      // A replayed event must not send a second card.
      if (record.cards.some((c) => c.userId === approver.userId)) continue;
      try {
        const reference = await this.referenceFor(event.tenantId, approver.userId, requesterAddress);
        if (!reference) {
          unreachable.push(approver.displayName);
          continue;
        }
        const mri = reference.user?.id;
        const attachment = pendingCard(view, { buttons: true, refreshUserIds: mri ? [mri] : [] });
        const activityId = await this.deps.conversations.run(reference, async (context) => {
          const sent = await context.sendActivity(Activity.fromObject({ type: ActivityTypes.Message, attachments: [attachment], summary: `Approval needed: ${oneLine(view.action)}` }));
          return sent?.id;
        });
        if (activityId) record.cards.push({ reference, activityId, userId: approver.userId });
      } catch (error) {
        this.deps.logger.warn({ status: statusOf(error), cause: error instanceof Error ? error.message : String(error), approvalId: event.approvalId, approverId: approver.userId }, 'teams approval card could not be delivered');
        unreachable.push(approver.displayName);
      }
    }
    await this.save(event.tenantId, record);
    return unreachable;
  }

  /** Replaces every card of the approval with the decided one. */
  async settle(event: Decided): Promise<void> {
    const record = await this.load(event.tenantId, event.approvalId);
    if (!record) return;
    record.outcome = { decision: event.decision, ...(event.decidedBy ? { byName: event.decidedBy.displayName } : {}), at: event.at };
    await this.save(event.tenantId, record);
    const attachment = decidedCard(record.view, record.outcome);
    await Promise.all(record.cards.map(async (card) => {
      try {
        await this.deps.conversations.run(card.reference, (context) => context.updateActivity(Activity.fromObject({ type: ActivityTypes.Message, id: card.activityId, attachments: [attachment] })));
      } catch (error) {
        this.deps.logger.warn({ status: statusOf(error), approvalId: event.approvalId }, 'teams approval card could not be updated');
      }
    }));
  }

  /** The policy's reminder: a message in each approver's chat where their card is. */
  async remind(event: Extract<RunEvent, { type: 'approval.reminder' }>): Promise<void> {
    const record = await this.load(event.tenantId, event.approvalId);
    if (!record || record.outcome) return;
    const text = `Reminder: ${record.view.requesterName} is still waiting for your decision to ${oneLine(midSentence(event.action))}. The request is in the card above.`;
    await Promise.all(record.cards.map(async (card) => {
      try {
        await this.deps.conversations.run(card.reference, async (context) => {
          await context.sendActivity(Activity.fromObject({ type: ActivityTypes.Message, text }));
        });
      } catch (error) {
        this.deps.logger.warn({ status: statusOf(error), cause: error instanceof Error ? error.message : String(error), approvalId: event.approvalId }, 'teams approval reminder could not be delivered');
      }
    }));
  }

  /** Records a decision made through a card, so refreshes show it before the engine's event arrives. */
  async recordOutcome(tenantId: string, approvalId: string, outcome: CardDecision): Promise<Attachment | null> {
    const record = await this.load(tenantId, approvalId);
    if (!record) return null;
    record.outcome ??= { decision: outcome.decision, ...(outcome.byName ? { byName: outcome.byName } : {}), ...(outcome.at ? { at: outcome.at } : {}) };
    await this.save(tenantId, record);
    return decidedCard(record.view, record.outcome);
  }

  /** The card a given person should see now (Action.Execute `refresh`). */
  async currentCard(tenantId: string, approvalId: string, userId: string | null, mri: string | undefined): Promise<Attachment | null> {
    const record = await this.load(tenantId, approvalId);
    if (!record) return null;
    if (record.outcome) return decidedCard(record.view, record.outcome);
    const eligible = userId !== null && record.approverUserIds.includes(userId);
    return pendingCard(record.view, { buttons: eligible, refreshUserIds: mri ? [mri] : [] });
  }

  /** Without the requester's Teams chat (a request from another platform) only a known chat can be used. */
  private async referenceFor(tenantId: string, userId: string, via: TeamsAddress | undefined): Promise<StoredReference | null> {
    const contact = await this.deps.references.contactOf(tenantId, userId);
    if (!contact) return null;
    if (contact.reference) return contact.reference;
    if (!via) return null;
    const reference = await this.deps.conversations.createPersonal(via.reference, contact);
    await this.deps.references.remember({ tenantId, userId, entraTenantId: contact.entraTenantId, aadObjectId: contact.aadObjectId, reference });
    return reference;
  }

  private key(tenantId: string, approvalId: string): string {
    return tenantKey(tenantId, 'teams', 'approval', approvalId);
  }

  private async load(tenantId: string, approvalId: string): Promise<ApprovalRecord | null> {
    const raw = await this.deps.kv.get(this.key(tenantId, approvalId));
    if (!raw) return null;
    const parsed = recordSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  }

  private async save(tenantId: string, record: ApprovalRecord): Promise<void> {
    const expires = Date.parse(record.view.expiresAt);
    const ttlMs = Math.max(60_000, (Number.isNaN(expires) ? this.deps.now().getTime() : expires) - this.deps.now().getTime() + KEEP_AFTER_EXPIRY_MS);
    await this.deps.kv.set(this.key(tenantId, record.view.approvalId), JSON.stringify(record), { ttlMs });
  }
}
