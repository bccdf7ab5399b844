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

/** What the composition root does when Teams says the app is gone (delete references, audit). */
export type TeamsUninstallHandler = (input: {
  readonly tenantId: string;
  readonly entraTenantId: string;
  readonly scope: 'personal' | 'groupChat' | 'channel';
  /** Personal scope: whose 1:1 chat with the bot is gone. */
  readonly aadObjectId?: string;
  readonly reason: 'installationUpdate.remove' | 'conversationUpdate.botRemoved';
}) => Promise<void>;

/** The app was uninstalled (installationUpdate "remove"), or the bot was removed from the conversation. */
export function isUninstall(activity: Activity): boolean {
  if (activity.type === ActivityTypes.InstallationUpdate) return activity.action === 'remove';
  if (activity.type === ActivityTypes.ConversationUpdate) return (activity.membersRemoved ?? []).some((member) => member.id === activity.recipient?.id);
  return false;
}

/**
 * Forgets the conversation references the uninstalled app kept (a personal uninstall: that person's
 * 1:1 chat reference), and records it in the audit log. Teams announces an uninstall twice
 * (installationUpdate and conversationUpdate); forgetting twice is harmless.
 */
export async function handleUninstall(context: TurnContext, deps: { readonly tenantFor: InstallationDeps['tenantFor']; readonly onUninstalled: TeamsUninstallHandler; readonly logger: Logger }): Promise<void> {
  const activity = context.activity;
  const entraTenantId = entraTenantOf(activity);
  if (!entraTenantId) return;
  const tenantId = await deps.tenantFor(entraTenantId);
  if (!tenantId) return;
  const kind = activity.conversation?.conversationType;
  const scope = kind === 'personal' ? 'personal' : kind === 'channel' ? 'channel' : 'groupChat';
  const aadObjectId = scope === 'personal' ? activity.from?.aadObjectId : undefined;
  try {
    await deps.onUninstalled({
      tenantId,
      entraTenantId,
      scope,
      ...(aadObjectId ? { aadObjectId } : {}),
      reason: activity.type === ActivityTypes.InstallationUpdate ? 'installationUpdate.remove' : 'conversationUpdate.botRemoved',
    });
  } catch (error) {
    // Teams does not redeliver; the stale reference fails (and is logged) the next time it is used.
    deps.logger.error({ err: { message: error instanceof Error ? error.message : String(error) }, entraTenantId }, 'teams uninstall not recorded');
  }
}
