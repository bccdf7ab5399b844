import { randomUUID } from 'node:crypto';

/** Activities as Teams delivers them to a bot's messaging endpoint (Bot Framework v3 wire shape). */

export const BOT = { id: '28:switchboard-bot', name: 'Switchboard' };

export interface TeamsPerson {
  /** 29:… Teams user id (MRI). */
  readonly id: string;
  readonly aadObjectId: string;
  readonly name: string;
}

export type ConversationKind = 'personal' | 'groupChat' | 'channel';

export interface ConversationSpec {
  readonly kind: ConversationKind;
  readonly id: string;
  readonly entraTenantId: string;
}

/** The envelope every activity from Teams shares (a fresh id each time). */
export function activityBase(serviceUrl: string, conversation: ConversationSpec, from: TeamsPerson): Record<string, unknown> {
  return {
    id: randomUUID(),
    channelId: 'msteams',
    serviceUrl,
    timestamp: new Date().toISOString(),
    from: { id: from.id, name: from.name, aadObjectId: from.aadObjectId },
    recipient: BOT,
    conversation: {
      id: conversation.id,
      conversationType: conversation.kind,
      tenantId: conversation.entraTenantId,
      ...(conversation.kind === 'personal' ? {} : { isGroup: true }),
    },
    channelData: {
      tenant: { id: conversation.entraTenantId },
      ...(conversation.kind === 'channel' ? { team: { id: '19:team@thread.tacv2' }, channel: { id: conversation.id.split(';')[0] } } : {}),
    },
    locale: 'en-US',
  };
}

/** A message; outside personal chats the bot is @mentioned the way Teams does it. */
export function messageActivity(serviceUrl: string, conversation: ConversationSpec, from: TeamsPerson, text: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const mention = conversation.kind !== 'personal';
  return {
    ...activityBase(serviceUrl, conversation, from),
    type: 'message',
    text: mention ? `<at>${BOT.name}</at> ${text}` : text,
    textFormat: 'plain',
    ...(mention ? { entities: [{ type: 'mention', text: `<at>${BOT.name}</at>`, mentioned: BOT }] } : {}),
    ...extra,
  };
}

/** The invoke Teams sends when someone clicks an Action.Execute button (or a card refreshes). */
export function cardActionInvoke(serviceUrl: string, conversation: ConversationSpec, from: TeamsPerson, verb: string, data: Record<string, unknown>, replyToId?: string): Record<string, unknown> {
  return {
    ...activityBase(serviceUrl, conversation, from),
    type: 'invoke',
    name: 'adaptiveCard/action',
    ...(replyToId ? { replyToId } : {}),
    value: { action: { type: 'Action.Execute', id: randomUUID(), verb, data }, trigger: 'manual' },
  };
}

/** What an Action.Submit fallback click delivers: a message whose value is the button's data. */
export function cardSubmitMessage(serviceUrl: string, conversation: ConversationSpec, from: TeamsPerson, data: Record<string, unknown>, replyToId: string): Record<string, unknown> {
  return { ...activityBase(serviceUrl, conversation, from), type: 'message', replyToId, value: data };
}

export async function postActivity(messagesUrl: string, activity: Record<string, unknown>, headers: Record<string, string> = {}): Promise<{ status: number; body: unknown; contentType: string | null }> {
  const response = await fetch(messagesUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(activity) });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body, contentType: response.headers.get('content-type') };
}
