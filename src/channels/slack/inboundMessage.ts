import { z } from 'zod';

/** The fields of a message / app_mention event the adapter relies on; everything else is ignored. */
export const userMessageEventSchema = z.object({
  type: z.enum(['message', 'app_mention']),
  subtype: z.string().optional(),
  bot_id: z.string().optional(),
  user: z.string().optional(),
  text: z.string().default(''),
  ts: z.string(),
  thread_ts: z.string().optional(),
  channel: z.string(),
  channel_type: z.string().optional(),
  team: z.string().optional(),
});

export type UserMessageEvent = z.infer<typeof userMessageEventSchema>;

/** The Events API envelope: event_id for dedup, team/enterprise for tenancy (Grid adds the context_* ids). */
export const eventEnvelopeSchema = z.object({
  event_id: z.string().min(1),
  team_id: z.string().optional(),
  enterprise_id: z.string().nullish(),
  context_team_id: z.string().nullish(),
  context_enterprise_id: z.string().nullish(),
  is_enterprise_install: z.boolean().optional(),
});

export type EventEnvelope = z.infer<typeof eventEnvelopeSchema>;

export interface Workspace {
  /** The requester's own workspace. */
  readonly teamId: string;
  readonly enterpriseId?: string;
}

/**
 * On Grid and Slack Connect, the envelope's team_id can be the installing workspace rather than the
 * user's; the event's own `team`, then context_team_id, are the user's workspace.
 */
export function workspaceOf(envelope: EventEnvelope, eventTeam: string | undefined): Workspace | null {
  const teamId = eventTeam ?? envelope.context_team_id ?? envelope.team_id;
  if (!teamId) return null;
  const enterpriseId = envelope.enterprise_id ?? envelope.context_enterprise_id ?? undefined;
  return enterpriseId ? { teamId, enterpriseId } : { teamId };
}

/** Removes the leading "<@BOT>" of a mention so the request reads as the employee wrote it. */
export function stripBotMention(text: string, botUserId: string | undefined): string {
  if (!botUserId) return text.trim();
  return text.replace(new RegExp(`<@${botUserId}(\\|[^>]*)?>`, 'g'), '').trim();
}

export function mentionsBot(text: string, botUserId: string | undefined): boolean {
  return botUserId !== undefined && text.includes(`<@${botUserId}`);
}
