import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { ConversationReference } from '@microsoft/agents-activity';
import type { JsonObject } from '../../core/json.js';

const accountSchema = z.object({ id: z.string(), name: z.string().optional(), aadObjectId: z.string().optional() });

/** The parts of a Bot Framework conversation reference Switchboard stores and replays. */
export const conversationReferenceSchema = z.object({
  channelId: z.string().min(1),
  serviceUrl: z.string().url(),
  conversation: z.object({
    id: z.string().min(1),
    conversationType: z.string().optional(),
    tenantId: z.string().optional(),
    isGroup: z.boolean().optional(),
  }),
  agent: accountSchema.optional(),
  user: accountSchema.optional(),
  locale: z.string().optional(),
});
export type StoredReference = z.infer<typeof conversationReferenceSchema>;

/** Where a run's progress goes: personal chats stream, group chats and channels get edited messages. */
export const teamsAddressSchema = z.object({
  kind: z.literal('teams'),
  mode: z.enum(['stream', 'update']),
  entraTenantId: z.string().min(1),
  reference: conversationReferenceSchema,
  /** The employee's message; replies in channels thread under it. */
  replyToId: z.string().optional(),
});
export type TeamsAddress = z.infer<typeof teamsAddressSchema>;

export function storedReference(ref: ConversationReference): StoredReference {
  const parsed = conversationReferenceSchema.parse({
    channelId: ref.channelId,
    serviceUrl: ref.serviceUrl,
    conversation: pick(ref.conversation, ['id', 'conversationType', 'tenantId', 'isGroup']),
    ...(ref.agent ? { agent: pick(ref.agent, ['id', 'name', 'aadObjectId']) } : {}),
    ...(ref.user ? { user: pick(ref.user, ['id', 'name', 'aadObjectId']) } : {}),
    ...(ref.locale ? { locale: ref.locale } : {}),
  });
  return parsed;
}

/** Back to the SDK's type (the stored shape is a subset of it). */
export function toConversationReference(ref: StoredReference): ConversationReference {
  return ref as ConversationReference;
}

export function addressJson(address: TeamsAddress): JsonObject {
  return JSON.parse(JSON.stringify(address)) as JsonObject;
}

/** Stable thread id for the gateway; very long Teams ids are hashed to fit the turn's limit. */
export function conversationExternalId(entraTenantId: string, conversationId: string): string {
  const id = `${entraTenantId}:${conversationId}`;
  return id.length <= 300 ? id : `${entraTenantId}:sha256:${createHash('sha256').update(conversationId).digest('hex')}`;
}

function pick<T extends object>(source: T | undefined | null, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!source) return out;
  for (const key of keys) {
    const value = (source as Record<string, unknown>)[key];
    if (value !== undefined && value !== null) out[key] = value;
  }
  return out;
}
