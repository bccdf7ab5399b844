import type { IncomingMessage, ServerResponse } from 'node:http';
import { HTTPModuleFunctions, HTTPResponseAck, type App, type Logger as SlackLogger, type Receiver, type ReceiverEvent } from '@slack/bolt';
import type { HttpApp } from '../../http/httpApp.js';
import type { Logger } from '../../core/logger.js';

export interface HttpAppReceiverOptions {
  readonly http: HttpApp;
  readonly path: string;
  readonly signingSecret: string;
  readonly logger: Logger;
  readonly slackLogger: SlackLogger;
}

/**
 * A Bolt Receiver that lives on the product's one HTTP server instead of opening its own port. It
 * uses Bolt's own request functions for signature checks, parsing and auto-ack, so behaviour matches
 * Bolt's HTTPReceiver: bad or stale signatures get 401, Events API requests are acked before any
 * listener runs, interactive payloads are acked by the listener.
 */
export class HttpAppReceiver implements Receiver {
  private app?: App;
  private mounted = false;
  private accepting = false;

  constructor(private readonly options: HttpAppReceiverOptions) {}

  init(app: App): void {
    this.app = app;
  }

  async start(): Promise<void> {
    if (!this.mounted) {
      this.options.http.route('POST', this.options.path, (req, res) => this.handle(req, res));
      this.mounted = true;
    }
    this.accepting = true;
  }

  async stop(): Promise<void> {
    // HttpApp routes cannot be removed; a stopped receiver answers 503 so Slack retries elsewhere.
    this.accepting = false;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { logger, slackLogger, signingSecret } = this.options;
    const app = this.app;
    if (!this.accepting || !app) {
      HTTPModuleFunctions.buildNoBodyResponse(res, 503);
      return;
    }
    let buffered;
    try {
      buffered = await HTTPModuleFunctions.parseAndVerifyHTTPRequest({ signingSecret, logger: slackLogger }, req, res);
    } catch (error) {
      if (HTTPModuleFunctions.isRawBodyError(error)) {
        HTTPModuleFunctions.buildNoBodyResponse(res, error.statusCode === 413 ? 413 : 400);
        return;
      }
      logger.warn({ reason: error instanceof Error ? error.message : String(error) }, 'slack request refused: signature check failed');
      HTTPModuleFunctions.buildNoBodyResponse(res, 401);
      return;
    }
    let body: Record<string, unknown>;
    try {
      body = HTTPModuleFunctions.parseHTTPRequestBody(buffered) as Record<string, unknown>;
    } catch {
      HTTPModuleFunctions.buildNoBodyResponse(res, 400);
      return;
    }
    if (body.ssl_check === '1') {
      HTTPModuleFunctions.buildSSLCheckResponse(res);
      return;
    }
    if (body.type === 'url_verification') {
      HTTPModuleFunctions.buildUrlVerificationResponse(res, body);
      return;
    }
    const ack = new HTTPResponseAck({
      logger: slackLogger,
      processBeforeResponse: false,
      unhandledRequestTimeoutMillis: 3001,
      httpRequest: buffered,
      httpRequestBody: body,
      httpResponse: res,
    });
    const retryNum = HTTPModuleFunctions.extractRetryNumFromHTTPRequest(req);
    const retryReason = HTTPModuleFunctions.extractRetryReasonFromHTTPRequest(req);
    const event: ReceiverEvent = {
      body,
      ack: ack.bind(),
      ...(retryNum !== undefined ? { retryNum } : {}),
      ...(retryReason !== undefined ? { retryReason } : {}),
    };
    try {
      await app.processEvent(event);
      if (ack.storedResponse !== undefined) HTTPModuleFunctions.buildContentResponse(res, ack.storedResponse);
    } catch (error) {
      const handled = await HTTPModuleFunctions.defaultProcessEventErrorHandler({
        error: error instanceof Error ? error : new Error(String(error)),
        logger: slackLogger,
        request: req,
        response: res,
        storedResponse: ack.storedResponse,
      });
      if (handled) ack.ack();
    }
  }
}
