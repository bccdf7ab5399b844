import { z } from 'zod';
import { jsonObjectSchema } from '../core/json.js';
import { cleanDeep } from '../core/storableText.js';

export const CHANNEL_KINDS = ['slack', 'teams', 'web'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

/** Longest message text accepted from any channel; longer input is refused with a clear error. */
export const MAX_TURN_TEXT = 4000;

/** One employee message, as every channel hands it to the gateway. */
const turnShape = z.object({
  channel: z.enum(CHANNEL_KINDS),
  /** Platform delivery id used for dedup: Slack event_id, Teams activity id, web client message id. */
  deliveryId: z.string().min(1).max(200),
  tenantId: z.string().min(1).max(64),
  platformUser: z.object({
    /** Slack user id, Teams AAD object id, web playground user id. */
    externalId: z.string().min(1).max(200),
    /** Slack team id, Entra tenant id, "web". */
    teamId: z.string().min(1).max(200),
    email: z.string().email().optional(),
    displayName: z.string().max(200).optional(),
  }),
  conversation: z.object({
    /** Stable id of the thread within the tenant, e.g. "T1:D123:1712345678.000100". */
    externalId: z.string().min(1).max(300),
    /** Opaque channel address used to reply (channel + thread_ts, conversation reference...). */
    address: jsonObjectSchema,
  }),
  text: z.string().trim().min(1, 'the message is empty or has only characters I cannot read').max(MAX_TURN_TEXT, `messages are limited to ${MAX_TURN_TEXT} characters`),
  receivedAt: z.string().datetime(),
});

/**
 * Every string of a turn reaches PostgreSQL (run input, messages, identities, the reply address),
 * so NUL and other unstorable characters are cleaned before validation (see storableText.ts).
 */
export const turnSchema = z.preprocess((input) => cleanDeep(input), turnShape);

export type Turn = z.infer<typeof turnShape>;
