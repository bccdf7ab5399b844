import { z } from 'zod';
import type { TurnContext } from '@microsoft/agents-hosting';
import { Activity, ActivityTypes, type Attachment } from '@microsoft/agents-activity';
import type { ApprovalDecider } from '../../engine/approvalDecider.js';
import type { Logger } from '../../core/logger.js';
import { ADAPTIVE_CARD_TYPE, APPROVAL_MARKER } from './approvalCard.js';
import type { ApprovalCards } from './approvalCards.js';
import { entraTenantOf, NOT_SET_UP_MESSAGE } from './tenancy.js';

export type TeamsIdentityResolver = (entraTenantId: string, aadObjectId: string) => Promise<{ tenantId: string; userId: string } | null>;

export interface ApprovalActionDeps {
  readonly approvals: ApprovalDecider;
  readonly cards: ApprovalCards;
  readonly identity: TeamsIdentityResolver;
  readonly tenantFor: (entraTenantId: string) => Promise<string | null>;
  readonly logger: Logger;
  readonly now: () => Date;
}

const actionDataSchema = z.object({
  marker: z.literal(APPROVAL_MARKER),
  verb: z.enum(['approve', 'deny', 'refresh', 'cancel']),
  approvalId: z.string().min(1).max(100),
  /** The card's optional reason input, sent with Deny. */
  reason: z.string().max(1000).optional(),
});

const invokeValueSchema = z.object({
  action: z.object({ type: z.literal('Action.Execute'), verb: z.string(), data: z.unknown() }),
});

/** True for an Action.Submit fallback click (a message activity whose value is our card data). */
export function isApprovalSubmit(activity: Activity): boolean {
  return actionDataSchema.safeParse(activity.value).success;
}

type Outcome = { kind: 'card'; card: Attachment } | { kind: 'message'; text: string };

/**
 * One click, from either path, decided through the ApprovalDecider (eligible, not the requester,
 * open, not expired, once). A refusal explains itself and changes nothing.
 */
async function decideClick(context: TurnContext, data: z.infer<typeof actionDataSchema>, deps: ApprovalActionDeps): Promise<Outcome> {
  const activity = context.activity;
  const entraTenantId = entraTenantOf(activity);
  const aadObjectId = activity.from?.aadObjectId;
  if (!entraTenantId || !aadObjectId) return { kind: 'message', text: 'I could not tell who clicked. Please use Microsoft Teams with your work account.' };
  const tenantId = await deps.tenantFor(entraTenantId);
  if (!tenantId) return { kind: 'message', text: NOT_SET_UP_MESSAGE };
  const person = await deps.identity(entraTenantId, aadObjectId);
  if (data.verb === 'refresh') {
    const card = await deps.cards.currentCard(tenantId, data.approvalId, person?.tenantId === tenantId ? person.userId : null, activity.from?.id);
    return card ? { kind: 'card', card } : { kind: 'message', text: 'This approval request is no longer available.' };
  }
  if (data.verb === 'cancel') {
    // Only the requester may withdraw; the lifecycle checks it against the approval.
    if (!person || person.tenantId !== tenantId || !deps.approvals.cancel) return { kind: 'message', text: 'Only the person who asked can cancel this request.' };
    const cancelled = await deps.approvals.cancel({ tenantId, approvalId: data.approvalId, requesterUserId: person.userId });
    return { kind: 'message', text: cancelled.status === 'cancelled' ? 'You cancelled this request. Nothing was done.' : cancelled.message };
  }
  if (!person || person.tenantId !== tenantId) {
    return { kind: 'message', text: 'I do not know you as an approver in Switchboard yet, so I cannot record a decision from you.' };
  }
  const reason = data.verb === 'deny' ? data.reason?.trim() : undefined;
  const result = await deps.approvals.decide({ tenantId, approvalId: data.approvalId, deciderUserId: person.userId, decision: data.verb, ...(reason ? { comment: reason } : {}) });
  if (result.status === 'refused') {
    deps.logger.info({ approvalId: data.approvalId, code: result.code }, 'teams approval click refused');
    return { kind: 'message', text: result.message };
  }
  const card = await deps.cards.recordOutcome(tenantId, data.approvalId, { decision: result.decision, ...(activity.from?.name ? { byName: activity.from.name } : {}), at: result.decidedAt });
  return card ? { kind: 'card', card } : { kind: 'message', text: `${result.decision === 'approved' ? 'Approved' : 'Denied'}: ${result.action}.` };
}

/** `adaptiveCard/action` invoke: the answer replaces the card for the clicker (or shows a message). */
export async function handleCardInvoke(context: TurnContext, deps: ApprovalActionDeps): Promise<void> {
  const value = invokeValueSchema.safeParse(context.activity.value);
  // The action's own verb is authoritative (a refresh reuses the card's data).
  const data = value.success ? actionDataSchema.safeParse({ ...(value.data.action.data as object), verb: value.data.action.verb }) : null;
  if (!value.success || !data?.success) {
    await invokeResponse(context, 400, { statusCode: 400, type: 'application/vnd.microsoft.error', value: { code: 'BadRequest', message: 'This card action is not one I understand.' } });
    return;
  }
  const outcome = await decideClick(context, data.data, deps);
  if (outcome.kind === 'card') {
    await invokeResponse(context, 200, { statusCode: 200, type: ADAPTIVE_CARD_TYPE, value: outcome.card.content });
  } else {
    await invokeResponse(context, 200, { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: outcome.text });
  }
}

/** Action.Submit fallback: the card message is edited in place, refusals are answered in the chat. */
export async function handleApprovalSubmit(context: TurnContext, deps: ApprovalActionDeps): Promise<void> {
  const data = actionDataSchema.parse(context.activity.value);
  const outcome = await decideClick(context, data, deps);
  if (outcome.kind === 'card' && context.activity.replyToId) {
    await context.updateActivity(Activity.fromObject({ type: ActivityTypes.Message, id: context.activity.replyToId, attachments: [outcome.card] }));
  } else if (outcome.kind === 'message') {
    await context.sendActivity(outcome.text);
  }
}

async function invokeResponse(context: TurnContext, status: number, body: Record<string, unknown>): Promise<void> {
  await context.sendActivity(Activity.fromObject({ type: ActivityTypes.InvokeResponse, value: { status, body } }));
}
