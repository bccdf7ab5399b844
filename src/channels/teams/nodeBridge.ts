import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CloudAdapter, Request, TurnContext, WebResponse } from '@microsoft/agents-hosting';
import { BODY_LIMITS, PayloadTooLargeError, readBody, sendJson, type HttpApp } from '../../http/httpApp.js';
import type { Logger } from '../../core/logger.js';

/** Node's ServerResponse in the shape `CloudAdapter.process` and the JWT middleware write to. */
export class NodeWebResponse implements WebResponse {
  constructor(private readonly res: ServerResponse) {}

  status(code: number): this {
    this.res.statusCode = code;
    return this;
  }

  setHeader(name: string, value: string): this {
    if (!this.res.headersSent) this.res.setHeader(name, value);
    return this;
  }

  send(body?: unknown): this {
    if (body === undefined || this.res.writableEnded) return this;
    if (typeof body === 'string' || Buffer.isBuffer(body)) {
      this.res.write(body);
      return this;
    }
    if (!this.res.headersSent && !this.res.hasHeader('content-type')) this.res.setHeader('content-type', 'application/json');
    this.res.write(JSON.stringify(body));
    return this;
  }

  end(): this {
    if (!this.res.writableEnded) this.res.end();
    return this;
  }

  get headersSent(): boolean {
    return this.res.headersSent;
  }

  get writableEnded(): boolean {
    return this.res.writableEnded;
  }
}

/** Activities are small; anything near this is not from the Bot Connector. */
const MAX_ACTIVITY_BYTES = BODY_LIMITS.teams;

/**
 * Mounts `POST /api/messages`: body parsed (bounded), the Bot Framework JWT checked by the SDK's
 * middleware (401 before any logic runs), then the adapter runs the turn and writes the answer
 * (including invoke responses).
 */
export function mountMessagesRoute(http: HttpApp, adapter: CloudAdapter, logic: (context: TurnContext) => Promise<void>, logger: Logger): void {
  http.route('POST', '/api/messages', async (req: IncomingMessage, res: ServerResponse) => {
    let body: unknown;
    try {
      body = JSON.parse(await readBody(req, MAX_ACTIVITY_BYTES));
    } catch (error) {
      if (error instanceof PayloadTooLargeError) return sendJson(res, 413, { error: { code: 'payload_too_large', message: 'Activity too large' } });
      return sendJson(res, 400, { error: { code: 'invalid_json', message: 'The body must be a JSON activity' } });
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      return sendJson(res, 400, { error: { code: 'invalid_activity', message: 'The body must be a JSON activity' } });
    }
    const request: Request = { body: body as Record<string, unknown>, headers: req.headers, method: req.method ?? 'POST' };
    const response = new NodeWebResponse(res);
    let authorized = false;
    await adapter.authorizeRequest(request, response, () => {
      authorized = true;
    });
    if (!authorized) {
      logger.warn({ status: res.statusCode }, 'teams activity rejected by authentication');
      response.end();
      return;
    }
    try {
      await adapter.process(request, response, logic);
    } catch (error) {
      // The SDK throws for activities it cannot parse; that is the sender's fault, not ours.
      logger.warn({ err: { message: error instanceof Error ? error.message : String(error) } }, 'teams activity could not be processed');
      if (!res.headersSent) sendJson(res, 400, { error: { code: 'invalid_activity', message: 'The activity could not be processed' } });
      else response.end();
    }
  }, { bodyLimit: MAX_ACTIVITY_BYTES });
}
