import type { TurnContext } from '@microsoft/agents-hosting';
import { ActivityTypes, type Activity } from '@microsoft/agents-activity';
import type { Gateway } from '../../gateway/gateway.js';
import type { Logger } from '../../core/logger.js';
import { storedReference } from './address.js';
import type { TeamsProfiles } from './profiles.js';
import type { TeamsReferenceStore } from './references.js';
import { statusOf } from './retry.js';
import { entraTenantOf } from './tenancy.js';

export interface InstallationDeps {
  readonly gateway: Pick<Gateway, 'identify'>;
  readonly profiles: TeamsProfiles;
  readonly references: TeamsReferenceStore;
  readonly tenantFor: (entraTenantId: string) => Promise<string | null>;
  readonly logger: Logger;
}

/**
 * The app was installed for one person (personal scope, by them or by an admin's install policy).
 * Teams announces it twice, as a conversationUpdate with the bot among `membersAdded` and as an
 * installationUpdate "add"; both carry the new 1:1 chat.
 */
export function isPersonalInstall(activity: Activity): boolean {
  if (activity.conversation?.conversationType !== 'personal') return false;
  if (activity.type === ActivityTypes.InstallationUpdate) return activity.action === 'add' || activity.action === 'add-upgrade';
  if (activity.type === ActivityTypes.ConversationUpdate) return (activity.membersAdded ?? []).some((member) => member.id === activity.recipient?.id);
  return false;
}

/**
 * Remembers the installer's 1:1 chat with the bot, so an approval card can reach someone who never
 * wrote to Switchboard: without it the bot does not even know their AAD object id. Nothing is sent
 * to them, and someone who is not an employee of the tenant is not remembered.
 */
export async function handlePersonalInstall(context: TurnContext, deps: InstallationDeps): Promise<void> {
  const activity = context.activity;
  const aadObjectId = activity.from?.aadObjectId;
  const entraTenantId = entraTenantOf(activity);
  if (!aadObjectId || !entraTenantId) return;
  const tenantId = await deps.tenantFor(entraTenantId);
  if (!tenantId) {
    deps.logger.info({ entraTenantId }, 'teams app installed in an unmapped Entra tenant');
    return;
  }
  try {
    const profile = await deps.profiles.forSender(context, tenantId, entraTenantId, aadObjectId);
    const user = await deps.gateway.identify({
      tenantId,
      channel: 'teams',
      platformUser: { externalId: aadObjectId, teamId: entraTenantId, ...(profile.email ? { email: profile.email } : {}) },
    });
    if (!user) {
      deps.logger.info({ entraTenantId }, 'teams app installed by someone who is not a known employee');
      return;
    }
    const reference = storedReference(activity.getConversationReference());
    await deps.references.remember({ tenantId, userId: user.userId, entraTenantId, aadObjectId, reference });
  } catch (error) {
    // Teams does not redeliver installs; the person is still reached once they write to the bot.
    deps.logger.warn({ status: statusOf(error), err: { message: error instanceof Error ? error.message : String(error) } }, 'teams installation not remembered');
  }
}
