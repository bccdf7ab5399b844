import { randomUUID } from 'node:crypto';
import { BOT, type ConversationSpec, type TeamsPerson } from '../../../support/teamsActivities.js';

/**
 * What Teams sends when the app is installed for someone (by them, or by an admin's install policy):
 * in personal scope a conversationUpdate with the bot in `membersAdded` and an installationUpdate
 * "add", both in the new 1:1 chat; in a team or group chat the same, in that conversation.
 */
export function installActivities(serviceUrl: string, conversation: ConversationSpec, from: TeamsPerson): Record<string, unknown>[] {
  const common = {
    channelId: 'msteams',
    serviceUrl,
    timestamp: new Date().toISOString(),
    from: { id: from.id, aadObjectId: from.aadObjectId },
    recipient: BOT,
    conversation: {
      id: conversation.id,
      conversationType: conversation.kind,
      tenantId: conversation.entraTenantId,
      ...(conversation.kind === 'personal' ? {} : { isGroup: true }),
    },
    channelData: { tenant: { id: conversation.entraTenantId } },
    locale: 'en-US',
  };
  return [
    { ...common, id: randomUUID(), type: 'conversationUpdate', membersAdded: [{ id: BOT.id }] },
    { ...common, id: randomUUID(), type: 'installationUpdate', action: 'add' },
  ];
}
