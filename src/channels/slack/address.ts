import { z } from 'zod';
import type { JsonObject } from '../../core/json.js';

/**
 * Where a run's replies go in Slack. Stored opaquely in the Turn and echoed back on every RunEvent,
 * so any process can render any run without asking the first one.
 */
export const slackAddressSchema = z.object({
  channel: z.string().min(1),
  threadTs: z.string().min(1),
  /** The requester's own workspace (streaming's recipient_team_id). */
  teamId: z.string().min(1),
  enterpriseId: z.string().min(1).optional(),
  /** The requester's Slack user id (streaming's recipient_user_id). */
  userId: z.string().min(1),
  /** Agent DMs stream; channel threads get one message edited in place. */
  mode: z.enum(['stream', 'update']),
});

export type SlackAddress = z.infer<typeof slackAddressSchema>;

export function addressToJson(address: SlackAddress): JsonObject {
  const json: JsonObject = {
    channel: address.channel,
    threadTs: address.threadTs,
    teamId: address.teamId,
    userId: address.userId,
    mode: address.mode,
  };
  if (address.enterpriseId) json.enterpriseId = address.enterpriseId;
  return json;
}

/**
 * The workspace key used for identities and caches. On Enterprise Grid user ids are org-wide, so the
 * org id is the stable key; elsewhere it is the workspace id.
 */
export function identityTeamKey(teamId: string, enterpriseId: string | undefined): string {
  return enterpriseId ?? teamId;
}

/** Stable per-tenant conversation id: one Slack thread is one conversation. */
export function conversationExternalId(address: Pick<SlackAddress, 'teamId' | 'channel' | 'threadTs'>): string {
  return `${address.teamId}:${address.channel}:${address.threadTs}`;
}
