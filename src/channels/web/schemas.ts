import { z } from 'zod';
import { MAX_TURN_TEXT } from '../../gateway/turn.js';

/** Largest request body the playground reads; a message at MAX_TURN_TEXT fits with room for JSON escapes. */
export const MAX_BODY_BYTES = 32_000;

const userId = z.string().uuid('choose a person first');
/** Client-chosen thread key; scoped by the user id, so one person can never read another's thread. */
export const threadIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'the thread id is not valid');

export const sendMessageSchema = z.object({
  userId,
  threadId: threadIdSchema,
  /** Dedup key for a retried POST (the gateway dedups on it). */
  clientMessageId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'the message id is not valid'),
  text: z
    .string({ error: 'the message must be text' })
    .trim()
    .min(1, 'the message is empty')
    .max(MAX_TURN_TEXT, `messages are limited to ${MAX_TURN_TEXT} characters`),
});

export const cancelSchema = z.object({ userId });

export const decideSchema = z.object({
  userId,
  decision: z.enum(['approve', 'deny'], { error: 'the decision must be "approve" or "deny"' }),
  comment: z.string().max(500, 'comments are limited to 500 characters').optional(),
});

export const startLinkSchema = z.object({
  userId,
  connectorId: z.string().regex(/^[a-z][a-z0-9-]{0,23}$/, 'unknown connector'),
});

export const userQuerySchema = z.object({ userId });

export type SendMessageInput = z.infer<typeof sendMessageSchema>;
