import type { IncomingMessage, ServerResponse } from 'node:http';
import { HTTPModuleFunctions, HTTPResponseAck, type App, type Logger as SlackLogger, type Receiver, type ReceiverEvent } from '@slack/bolt';
import { BODY_LIMITS, bufferedBody, type HttpApp } from '../../http/httpApp.js';
import type { Logger } from '../../core/logger.js';
import { slackEnvelopeProblem, slackHeadersProblem } from './requestChecks.js';

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
      this.options.http.route('POST', this.options.path, (req, res) => this.handle(req, res), {
        bodyLimit: BODY_LIMITS.slack,
        // Unsigned, stale and future-dated requests are refused on their headers, before any body is read.
        precheck: (req) => {
          const problem = slackHeadersProblem(req.headers, Date.now());
          if (!problem) return undefined;
          this.options.logger.warn({ reason: problem }, 'slack request refused before reading its body');
          return 401;
        },
      });
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
    // Bolt reads `rawBody` when present; HttpApp has already read the body within the Slack limit.
    Object.assign(req, { rawBody: bufferedBody(req) ?? Buffer.alloc(0) });
    let buffered;
    try {
      buffered = await HTTPModuleFunctions.parseAndVerifyHTTPRequest({ signingSecret, logger: slackLogger, bodyLimit: BODY_LIMITS.slack }, req, res);
    } catch (error) {
      if (HTTPModuleFunctions.isRawBodyError(error)) {
        HTTPModuleFunctions.buildNoBodyResponse(res, error.statusCode === 413 ? 413 : 400);
        return;
      }
      logger.warn({ reason: error instanceof Error ? error.message : String(error) }, 'slack request refused: signature check failed');
      HTTPModuleFunctions.buildNoBodyResponse(res, 401);
      return;
    }
    let parsed: unknown;
    try {
      parsed = HTTPModuleFunctions.parseHTTPRequestBody(buffered);
    } catch {
      HTTPModuleFunctions.buildNoBodyResponse(res, 400);
      return;
    }
    // Signed is not the same as well-formed: Bolt assumes shapes (an object, a `user` on actions).
    const problem = slackEnvelopeProblem(parsed);
    if (problem) {
      logger.warn({ reason: problem }, 'slack request refused: malformed payload');
      HTTPModuleFunctions.buildNoBodyResponse(res, 400);
      return;
    }
    const body = parsed as Record<string, unknown>;
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
