import type { TurnContext } from '@microsoft/agents-hosting';
import type { Activity } from '@microsoft/agents-activity';
import type { Gateway } from '../../gateway/gateway.js';
import { MAX_TURN_TEXT, type Turn } from '../../gateway/turn.js';
import type { Logger } from '../../core/logger.js';
import { addressJson, conversationExternalId, storedReference, type TeamsAddress } from './address.js';
import type { ActivityDedup } from './dedup.js';
import type { TeamsProfiles } from './profiles.js';
import type { TeamsReferenceStore } from './references.js';
import { entraTenantOf, NOT_SET_UP_MESSAGE } from './tenancy.js';

export interface InboundDeps {
  readonly gateway: Gateway;
  readonly dedup: ActivityDedup;
  readonly profiles: TeamsProfiles;
  readonly references: TeamsReferenceStore;
  readonly tenantFor: (entraTenantId: string) => Promise<string | null>;
  readonly logger: Logger;
  readonly now: () => Date;
}

const EMPTY_MESSAGE = 'Tell me what you need, for example "create a Jira bug for the VPN drops" or "reset my Okta password".';
const BUSY_MESSAGE = 'I could not take your request just now. Please try again in a moment.';

/** The employee's words: the bot's @mention removed (group chats, channels) and leftover markup dropped. */
export function messageText(activity: Activity): string {
  const withoutMention = activity.conversation?.conversationType === 'personal' ? (activity.text ?? '') : activity.removeRecipientMention();
  return withoutMention
    .replace(/<at>[^<]*<\/at>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * A message from an employee → a gateway Turn. Every path ends with either an accepted turn or a
 * reply that says why not; nothing is silently dropped except a redelivery of the same activity.
 */
export async function handleMessage(context: TurnContext, deps: InboundDeps): Promise<void> {
  const activity = context.activity;
  const aadObjectId = activity.from?.aadObjectId;
  const entraTenantId = entraTenantOf(activity);
  if (!aadObjectId || !entraTenantId || !activity.id) {
    await context.sendActivity('I can only help people signed in to Microsoft Teams with a work account.');
    return;
  }
  const tenantId = await deps.tenantFor(entraTenantId);
  if (!tenantId) {
    deps.logger.info({ entraTenantId }, 'teams message from an unmapped Entra tenant');
    await context.sendActivity(NOT_SET_UP_MESSAGE);
    return;
  }
  if (!(await deps.dedup.claim(tenantId, activity.id))) return;
  try {
    const text = messageText(activity);
    if (!text) {
      await context.sendActivity(EMPTY_MESSAGE);
      await deps.dedup.complete(tenantId, activity.id);
      return;
    }
    const profile = await deps.profiles.forSender(context, tenantId, entraTenantId, aadObjectId);
    const reference = storedReference(activity.getConversationReference());
    const personal = activity.conversation?.conversationType === 'personal';
    const address: TeamsAddress = { kind: 'teams', mode: personal ? 'stream' : 'update', entraTenantId, reference, replyToId: activity.id };
    const turn: Turn = {
      channel: 'teams',
      deliveryId: activity.id,
      tenantId,
      platformUser: {
        externalId: aadObjectId,
        teamId: entraTenantId,
        ...(profile.email ? { email: profile.email } : {}),
        ...(profile.displayName || activity.from?.name ? { displayName: (profile.displayName ?? activity.from?.name ?? '').slice(0, 200) } : {}),
      },
      conversation: { externalId: conversationExternalId(entraTenantId, reference.conversation.id), address: addressJson(address) },
      // Over-long text is passed on as is: the gateway refuses it with the limit in its message.
      text: text.length > MAX_TURN_TEXT + 1 ? text.slice(0, MAX_TURN_TEXT + 1) : text,
      receivedAt: deps.now().toISOString(),
    };
    const result = await deps.gateway.submit(turn);
    if (result.status === 'accepted') {
      // The turn is queued either way; a reference that could not be stored only costs a proactive path.
      await deps.references
        .remember({ tenantId, userId: result.userId, entraTenantId, aadObjectId, ...(personal ? { reference } : {}) })
        .catch((error: unknown) => deps.logger.warn({ err: { message: error instanceof Error ? error.message : String(error) } }, 'teams conversation reference not stored'));
    } else if (result.status === 'refused') {
      await context.sendActivity(result.message);
    }
    await deps.dedup.complete(tenantId, activity.id);
  } catch (error) {
    await deps.dedup.release(tenantId, activity.id);
    deps.logger.error({ err: { message: error instanceof Error ? error.message : String(error) } }, 'teams message hand-off failed');
    await context.sendActivity(BUSY_MESSAGE);
  }
}
