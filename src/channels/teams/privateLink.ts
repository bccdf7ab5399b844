import { Activity, ActivityTypes } from '@microsoft/agents-activity';
import type { Logger } from '../../core/logger.js';
import type { RunEvent } from '../../events/runEvent.js';
import type { TeamsAddress } from './address.js';
import type { TeamsConversations } from './conversations.js';
import { plain } from './text.js';

type LinkRequired = Extract<RunEvent, { type: 'account.link_required' }>;

/** Group chats and channels: anyone there could open a link posted in them. */
export function isSharedConversation(address: TeamsAddress): boolean {
  const type = address.reference.conversation.conversationType;
  return address.mode === 'update' || (type !== undefined && type !== 'personal') || address.reference.conversation.isGroup === true;
}

/**
 * Sends the "connect your account" link to the requester alone, in a 1:1 chat with the bot, when the
 * run lives in a shared conversation. If no 1:1 chat can be opened (the app is not installed for
 * them personally), the shared conversation is told so, without the link.
 */
export async function sendLinkPrivately(deps: { conversations: TeamsConversations; logger: Logger }, address: TeamsAddress, event: LinkRequired): Promise<void> {
  const text = `Please [connect your ${plain(event.connectorName)} account](${event.url}) so I can act as you. I will continue in the group conversation once it is connected.`;
  try {
    const requester = address.reference.user?.aadObjectId;
    if (!requester) throw new Error('the requester has no Entra object id in this conversation');
    const personal = await deps.conversations.createPersonal(address.reference, { aadObjectId: requester, entraTenantId: address.entraTenantId });
    await deps.conversations.run(personal, async (context) => {
      await context.sendActivity(Activity.fromObject({ type: ActivityTypes.Message, text }));
    });
  } catch (error) {
    deps.logger.warn({ runId: event.runId, err: { message: error instanceof Error ? error.message : String(error) } }, 'teams: could not send the account link in a 1:1 chat');
    const reference = address.replyToId ? { ...address.reference, activityId: address.replyToId } : address.reference;
    await deps.conversations.run(reference, async (context) => {
      await context.sendActivity(Activity.fromObject({
        type: ActivityTypes.Message,
        text: `I could not send you a private message with the sign-in link for ${plain(event.connectorName)}. Open a personal chat with me and ask again there.`,
      }));
    });
  }
}
