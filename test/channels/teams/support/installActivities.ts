import { randomUUID } from 'node:crypto';
import { activityBase, BOT, type ConversationSpec, type TeamsPerson } from '../../../support/teamsActivities.js';

/**
 * What Teams sends when the app is installed for someone (by them, or by an admin's install policy):
 * in personal scope a conversationUpdate with the bot in `membersAdded` and an installationUpdate
 * "add", both in the new 1:1 chat; in a team or group chat the same, in that conversation.
 */
export function installActivities(serviceUrl: string, conversation: ConversationSpec, from: TeamsPerson): Record<string, unknown>[] {
  const common = activityBase(serviceUrl, conversation, from);
  return [
    { ...common, id: randomUUID(), type: 'conversationUpdate', membersAdded: [{ id: BOT.id }] },
    { ...common, id: randomUUID(), type: 'installationUpdate', action: 'add' },
  ];
}
