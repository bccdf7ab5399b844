import { createHmac } from 'node:crypto';

/** Slack's v0 request signature: HMAC-SHA256 of "v0:<timestamp>:<raw body>" with the signing secret. */
export function slackSignature(secret: string, timestampSec: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestampSec}:${body}`).digest('hex')}`;
}

export interface SignedPostOptions {
  readonly timestampSec?: number;
  readonly retryNum?: number;
  /** Sign with this secret instead (forgery). */
  readonly signWith?: string;
  readonly omitHeaders?: boolean;
}

export interface SlackPostResult {
  readonly status: number;
  readonly body: string;
  readonly ms: number;
}

async function signedPost(url: string, secret: string, body: string, contentType: string, options: SignedPostOptions): Promise<SlackPostResult> {
  const timestampSec = options.timestampSec ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = { 'content-type': contentType };
  if (!options.omitHeaders) {
    headers['x-slack-request-timestamp'] = String(timestampSec);
    headers['x-slack-signature'] = slackSignature(options.signWith ?? secret, timestampSec, body);
  }
  if (options.retryNum !== undefined) {
    headers['x-slack-retry-num'] = String(options.retryNum);
    headers['x-slack-retry-reason'] = 'http_timeout';
  }
  const started = performance.now();
  const response = await fetch(url, { method: 'POST', headers, body });
  const text = await response.text();
  return { status: response.status, body: text, ms: performance.now() - started };
}

/** An Events API delivery (JSON body), signed as Slack signs it. */
export function postSlackEvent(url: string, secret: string, envelope: Record<string, unknown>, options: SignedPostOptions = {}): Promise<SlackPostResult> {
  return signedPost(url, secret, JSON.stringify(envelope), 'application/json', options);
}

/** An interactivity payload (form-encoded `payload=<json>`), signed as Slack signs it. */
export function postSlackInteraction(url: string, secret: string, payload: Record<string, unknown>, options: SignedPostOptions = {}): Promise<SlackPostResult> {
  return signedPost(url, secret, new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), 'application/x-www-form-urlencoded', options);
}

let counter = 0;

/** A message.im / app_mention envelope the way Slack delivers it. */
export function messageEnvelope(input: {
  teamId: string;
  user: string;
  text: string;
  channel: string;
  ts?: string;
  threadTs?: string;
  type?: 'message' | 'app_mention';
  channelType?: 'im' | 'channel' | 'group';
  eventId?: string;
  enterpriseId?: string;
  extra?: Record<string, unknown>;
}): Record<string, unknown> {
  counter += 1;
  const ts = input.ts ?? `1710000000.${String(counter).padStart(6, '0')}`;
  return {
    token: 'legacy-verification-token',
    team_id: input.teamId,
    api_app_id: 'A0SWITCH',
    type: 'event_callback',
    event_id: input.eventId ?? `Ev${String(counter).padStart(8, '0')}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: input.teamId, user_id: 'U0BOT', is_bot: true, is_enterprise_install: false, ...(input.enterpriseId ? { enterprise_id: input.enterpriseId } : {}) }],
    ...(input.enterpriseId ? { enterprise_id: input.enterpriseId } : {}),
    event: {
      type: input.type ?? 'message',
      user: input.user,
      text: input.text,
      ts,
      channel: input.channel,
      event_ts: ts,
      team: input.teamId,
      ...(input.type === 'app_mention' ? {} : { channel_type: input.channelType ?? 'im' }),
      ...(input.threadTs ? { thread_ts: input.threadTs } : {}),
      ...input.extra,
    },
  };
}
