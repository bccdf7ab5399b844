import type { Activity } from '@microsoft/agents-activity';

export type TeamsTenantLookup = (entraTenantId: string) => string | null | Promise<string | null>;

/** The Entra tenant an activity comes from (conversation.tenantId, or channelData.tenant.id in older payloads). */
export function entraTenantOf(activity: Activity): string | undefined {
  const fromConversation = activity.conversation?.tenantId;
  if (fromConversation) return fromConversation;
  const channelData = activity.channelData as { tenant?: { id?: unknown } } | undefined;
  return typeof channelData?.tenant?.id === 'string' ? channelData.tenant.id : undefined;
}

/**
 * Configured mapping first. In development an unmapped Entra tenant belongs to the default tenant
 * (so a fresh dev install just works); in production it stays unmapped and the employee is told so.
 */
export function tenantResolver(lookup: TeamsTenantLookup, options: { production: boolean; defaultTenantId?: string }): (entraTenantId: string) => Promise<string | null> {
  return async (entraTenantId) => (await lookup(entraTenantId)) ?? (options.production ? null : (options.defaultTenantId ?? null));
}

export const NOT_SET_UP_MESSAGE =
  'Switchboard is not set up for your organization yet. Please ask your IT team to connect your Microsoft 365 tenant to Switchboard.';
