import type { IncomingHttpHeaders } from 'node:http';
import { z } from 'zod';

/** Slack's replay window: a request dated more than this from our clock, either way, is refused. */
export const SLACK_MAX_SKEW_SECONDS = 5 * 60;

/**
 * Checks what can be checked on the headers alone. Bolt only refuses requests older than five
 * minutes; one dated in the future passes there, so both directions are enforced here. Unsigned
 * form posts are let through to Bolt, which answers Slack's unsigned `ssl_check` and verifies the
 * rest (their body is still bounded by the route's limit).
 */
export function slackHeadersProblem(headers: IncomingHttpHeaders, nowMs: number): string | undefined {
  const signature = headers['x-slack-signature'];
  const timestamp = headers['x-slack-request-timestamp'];
  const form = (headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
  if (signature === undefined && timestamp === undefined && form) return undefined;
  if (typeof signature !== 'string' || !/^v0=[0-9a-f]{64}$/i.test(signature)) return 'missing or malformed x-slack-signature';
  if (typeof timestamp !== 'string' || !/^\d{1,12}$/.test(timestamp)) return 'missing or malformed x-slack-request-timestamp';
  const skew = Math.abs(Math.floor(nowMs / 1000) - Number(timestamp));
  if (skew > SLACK_MAX_SKEW_SECONDS) return `x-slack-request-timestamp is ${skew} s away from now (limit ${SLACK_MAX_SKEW_SECONDS} s)`;
  return undefined;
}

const INTERACTIVE_TYPES = new Set(['block_actions', 'block_suggestion', 'view_submission', 'view_closed', 'shortcut', 'message_action', 'interactive_message', 'dialog_submission', 'dialog_cancellation', 'dialog_suggestion']);

const withUser = z.object({ user: z.object({ id: z.string().min(1) }) });
const eventCallback = z.object({ event: z.object({ type: z.string().min(1) }) });

/**
 * A signed body Bolt cannot be trusted to handle: not a JSON object, an interactive payload without
 * the user who acted, an event callback without its event. Undefined when the shape is usable.
 */
export function slackEnvelopeProblem(body: unknown): string | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return 'the body is not an object';
  const type = (body as { type?: unknown }).type;
  if (typeof type === 'string' && INTERACTIVE_TYPES.has(type) && !withUser.safeParse(body).success) return `${type} without a user`;
  if (type === 'event_callback' && !eventCallback.safeParse(body).success) return 'event_callback without an event';
  return undefined;
}
