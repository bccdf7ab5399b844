import type { WebClient } from '@slack/web-api';
import type { Logger } from '../../core/logger.js';
import type { RunEvent } from '../../events/runEvent.js';
import type { SlackAddress } from './address.js';
import { linkAccountBlocks } from './approvalBlocks.js';
import { escapeMrkdwn } from './mrkdwn.js';

type LinkRequired = Extract<RunEvent, { type: 'account.link_required' }>;

/** DM channel ids start with D; channels, private channels and group DMs are seen by others. */
export function isSharedChannel(address: SlackAddress): boolean {
  return !address.channel.startsWith('D');
}

/**
 * Posts the "Connect X" button where only the requester sees it: in their DM thread as usual, as an
 * ephemeral message in a shared channel's thread, or in a DM when Slack refuses the ephemeral.
 */
export async function postLinkPrompt(client: WebClient, address: SlackAddress, event: LinkRequired, logger: Logger): Promise<void> {
  const message = { text: `Please connect your ${escapeMrkdwn(event.connectorName)} account so I can act as you.`, blocks: linkAccountBlocks(event.connectorName, event.url) };
  if (!isSharedChannel(address)) {
    await client.chat.postMessage({ channel: address.channel, thread_ts: address.threadTs, ...message });
    return;
  }
  try {
    await client.chat.postEphemeral({ channel: address.channel, user: address.userId, thread_ts: address.threadTs, ...message });
  } catch (error) {
    logger.warn({ runId: event.runId, err: { message: error instanceof Error ? error.message : String(error) } }, 'slack: ephemeral link prompt refused; sending it as a DM');
    await client.chat.postMessage({ channel: address.userId, ...message });
  }
}
