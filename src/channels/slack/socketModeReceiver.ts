import bolt from '@slack/bolt';
import type { Logger as SlackLogger } from '@slack/bolt';
import type { WebClientOptions } from '@slack/web-api';

const { SocketModeReceiver } = bolt;

/**
 * How long stop() waits for Slack to answer the close frame. The SDK itself waits 30 s, which would
 * eat a whole Kubernetes grace period and hold up the engine drain that runs after the channels stop.
 */
const DEFAULT_CLOSE_TIMEOUT_MS = 2_000;

export interface SlackSocketModeReceiverOptions {
  /** App-level token (xapp-…) for apps.connections.open. */
  readonly appToken: string;
  /** Web API base URL for apps.connections.open; Slack's when unset. */
  readonly apiUrl?: string;
  readonly slackLogger: SlackLogger;
  readonly closeTimeoutMs?: number;
}

/**
 * Bolt's SocketModeReceiver with two corrections:
 *
 * - Its Web API client (apps.connections.open) gets its own options instead of the renderers'. Those
 *   give up after two quick retries and reject 429s, which suits a chat.update loop; here it would
 *   turn a few hundred milliseconds of Slack API trouble during one of Slack's routine reconnects
 *   into a crash, because the SDK rethrows a failed reconnect from a timer where nothing can catch
 *   it. Left unset, the SDK's own reconnect policy applies (many retries, Retry-After honoured).
 * - stop() resolves once the connection is closed (Bolt's does not wait), and closes it by force
 *   when Slack does not complete the close handshake in time.
 *
 * No installer and no custom routes are configured, so the base class never opens its own HTTP
 * server and stop() has nothing else to close.
 */
export class SlackSocketModeReceiver extends SocketModeReceiver {
  private readonly closeTimeoutMs: number;

  constructor(options: SlackSocketModeReceiverOptions) {
    super({
      appToken: options.appToken,
      logger: options.slackLogger,
      installerOptions: { clientOptions: socketModeClientOptions(options) },
    });
    this.closeTimeoutMs = options.closeTimeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS;
  }

  override async stop(): Promise<void> {
    const disconnected = this.client.disconnect();
    let timer: NodeJS.Timeout | undefined;
    const inTime = await Promise.race([
      disconnected.then(() => true),
      new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), this.closeTimeoutMs);
      }),
    ]);
    clearTimeout(timer);
    if (inTime) return;
    // A second disconnect while the socket is closing drops it at once (and ends the SDK's 30 s wait).
    this.client.websocket?.disconnect();
    await disconnected;
  }
}

/** A fresh object: the SDK writes its retry policy into the options it is given. */
function socketModeClientOptions(options: SlackSocketModeReceiverOptions): WebClientOptions {
  return {
    logger: options.slackLogger,
    timeout: 10_000,
    ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}),
  };
}
