import type { App, Context } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Gateway, SubmitResult } from '../../gateway/gateway.js';
import type { Turn } from '../../gateway/turn.js';
import type { KeyValueStore } from '../../infra/keyValue.js';
import type { Logger } from '../../core/logger.js';
import { addressToJson, conversationExternalId, identityTeamKey, type SlackAddress } from './address.js';
import { SlackEventDedup } from './eventDedup.js';
import { escapeMrkdwn } from './mrkdwn.js';
import { eventEnvelopeSchema, mentionsBot, stripBotMention, userMessageEventSchema, workspaceOf, type UserMessageEvent, type Workspace } from './inboundMessage.js';
import { SlackWorkspaceNotConfiguredError } from './errors.js';
import { tenantKey } from '../../infra/keys.js';

/** How long the bot keeps following a channel thread it was mentioned in. */
const THREAD_FOLLOW_TTL_MS = 7 * 24 * 60 * 60 * 1000;
const UNEXPECTED_FAILURE = 'Sorry, I could not take your request just now. Please send it again in a moment.';

export interface InboundDeps {
  readonly gateway: Gateway;
  readonly kv: KeyValueStore;
  readonly logger: Logger;
  readonly tenantFor: (teamId: string, enterpriseId: string | undefined) => Promise<string | null>;
  readonly now: () => Date;
  /** Called once a turn is accepted: the first visible progress (status line) comes from here. */
  readonly onAccepted: (address: SlackAddress, client: WebClient) => Promise<void>;
}

/**
 * Employee messages (agent DMs, @mentions, replies in threads the bot follows) become Turns for the
 * gateway. Bolt has already acked the delivery when these run; nothing here calls a model or connector.
 */
export function registerMessageHandlers(app: App, deps: InboundDeps): void {
  const dedup = new SlackEventDedup(deps.kv);

  const handle = async (kind: 'dm' | 'mention' | 'thread', rawEvent: unknown, body: unknown, client: WebClient, context: Context): Promise<void> => {
    const event = userMessageEventSchema.safeParse(rawEvent);
    const envelope = eventEnvelopeSchema.safeParse(body);
    if (!event.success || !envelope.success) return;
    const message = event.data;
    if (message.subtype !== undefined || message.bot_id !== undefined || !message.user || message.user === context.botUserId) return;
    const workspace = workspaceOf(envelope.data, message.team);
    if (!workspace) return;
    const tenantId = await deps.tenantFor(workspace.teamId, workspace.enterpriseId);
    const threadTs = message.thread_ts ?? message.ts;
    if (kind === 'thread' && (!tenantId || !(await followsThread(deps.kv, tenantId, message.channel, threadTs)))) return;
    if (!tenantId) {
      await replyOnce(deps.kv, tenantKey('_unconfigured', 'slack', 'event', envelope.data.event_id), () =>
        client.chat.postMessage({ channel: message.channel, thread_ts: threadTs, text: new SlackWorkspaceNotConfiguredError(workspace.teamId).userMessage }),
      );
      return;
    }
    if (!(await dedup.claim(tenantId, envelope.data.event_id))) return;
    const address: SlackAddress = {
      channel: message.channel,
      threadTs,
      teamId: workspace.teamId,
      ...(workspace.enterpriseId ? { enterpriseId: workspace.enterpriseId } : {}),
      userId: message.user,
      mode: kind === 'dm' ? 'stream' : 'update',
    };
    const text = kind === 'mention' ? stripBotMention(message.text, context.botUserId) : message.text;
    // Follow the thread before the turn is queued: a quick reply must not race the bookkeeping.
    if (kind === 'mention') await followThread(deps.kv, tenantId, message.channel, threadTs);
    let result: SubmitResult;
    try {
      result = await deps.gateway.submit(toTurn(tenantId, envelope.data.event_id, workspace, message, address, text, deps.now()));
    } catch (error) {
      await dedup.release(tenantId, envelope.data.event_id);
      deps.logger.error({ err: error, tenantId, eventId: envelope.data.event_id }, 'slack turn could not be submitted');
      await client.chat.postMessage({ channel: message.channel, thread_ts: threadTs, text: UNEXPECTED_FAILURE }).catch(() => undefined);
      return;
    }
    await dedup.complete(tenantId, envelope.data.event_id);
    if (result.status === 'refused') {
      await client.chat.postMessage({ channel: message.channel, thread_ts: threadTs, text: escapeMrkdwn(result.message) });
      return;
    }
    if (result.status === 'accepted') {
      await deps.onAccepted(address, client).catch((error: unknown) => deps.logger.warn({ err: error, runId: result.runId }, 'slack first progress failed'));
    }
  };

  const guarded = (kind: 'dm' | 'mention' | 'thread' | 'auto') => async (args: { event: unknown; body: unknown; client: WebClient; context: Context }) => {
    try {
      const resolved = kind === 'auto' ? messageKind(args.event, args.context.botUserId) : kind;
      if (resolved) await handle(resolved, args.event, args.body, args.client, args.context);
    } catch (error) {
      deps.logger.error({ err: error }, 'slack message handler failed');
    }
  };

  app.event('app_mention', guarded('mention'));
  app.event('message', guarded('auto'));
}

/** DMs to the bot are requests; channel messages count only as replies in a followed thread without a mention (the mention has its own event). */
function messageKind(rawEvent: unknown, botUserId: string | undefined): 'dm' | 'thread' | null {
  const parsed = userMessageEventSchema.safeParse(rawEvent);
  if (!parsed.success) return null;
  const event: UserMessageEvent = parsed.data;
  if (event.channel_type === 'im') return 'dm';
  if ((event.channel_type === 'channel' || event.channel_type === 'group') && event.thread_ts && !mentionsBot(event.text, botUserId)) return 'thread';
  return null;
}

function toTurn(tenantId: string, eventId: string, workspace: Workspace, message: UserMessageEvent, address: SlackAddress, text: string, now: Date): Turn {
  return {
    channel: 'slack',
    deliveryId: eventId,
    tenantId,
    platformUser: { externalId: message.user as string, teamId: identityTeamKey(workspace.teamId, workspace.enterpriseId) },
    conversation: { externalId: conversationExternalId(address), address: addressToJson(address) },
    text,
    receivedAt: now.toISOString(),
  };
}

async function followThread(kv: KeyValueStore, tenantId: string, channel: string, threadTs: string): Promise<void> {
  await kv.set(tenantKey(tenantId, 'slack', 'thread', channel, threadTs), '1', { ttlMs: THREAD_FOLLOW_TTL_MS });
}

async function followsThread(kv: KeyValueStore, tenantId: string, channel: string, threadTs: string): Promise<boolean> {
  return (await kv.get(tenantKey(tenantId, 'slack', 'thread', channel, threadTs))) !== null;
}

async function replyOnce(kv: KeyValueStore, key: string, send: () => Promise<unknown>): Promise<void> {
  if (await kv.set(key, '1', { ttlMs: 24 * 60 * 60 * 1000, onlyIfAbsent: true })) await send();
}
