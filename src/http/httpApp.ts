import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Counter, Histogram } from 'prom-client';
import type { Logger } from '../core/logger.js';
import { parseRequestTarget } from './requestTarget.js';

export type RouteParams = Readonly<Record<string, string>>;
export type HttpHandler = (req: IncomingMessage, res: ServerResponse, params: RouteParams) => void | Promise<void>;

export interface RouteOptions {
  /** Largest request body this route accepts; larger ones get 413 before they are buffered. */
  readonly bodyLimit?: number;
  /**
   * Runs on the headers alone, before any body byte is read: a status refuses the request there
   * (Slack's signature headers and timestamp window), so an unauthenticated sender cannot make the
   * process buffer anything.
   */
  readonly precheck?: (req: IncomingMessage) => number | undefined;
  /** The route group its requests are counted under; derived from the path when omitted. */
  readonly channel?: HttpChannel;
}

/** Route groups the edge metrics are labelled by: a fixed set, so the label's cardinality is bounded. */
export type HttpChannel = 'slack' | 'teams' | 'web' | 'auth' | 'oauth' | 'ops' | 'scim' | 'probe' | 'metrics' | 'other' | 'unmatched';

/** The route group of a mounted path (the registered pattern, never the raw request path). */
export function channelOf(path: string): HttpChannel {
  const p = path.toLowerCase();
  if (p.startsWith('/slack/')) return 'slack';
  if (p === '/api/messages') return 'teams';
  if (p === '/' || p.startsWith('/api/web/') || p.startsWith('/static/')) return 'web';
  if (p.startsWith('/auth/')) return 'auth';
  if (p.startsWith('/oauth/') || p.startsWith('/link/')) return 'oauth';
  if (p === '/ops' || p.startsWith('/ops/')) return 'ops';
  if (p.startsWith('/scim/')) return 'scim';
  if (p === '/healthz' || p === '/readyz') return 'probe';
  if (p === '/metrics') return 'metrics';
  return 'other';
}

/** Request rate, errors and duration per channel, injected by the composition root. */
export interface HttpEdgeMetrics {
  readonly requests: Counter<'channel' | 'status_class'>;
  readonly seconds: Histogram<'channel'>;
}

/** Body limits per kind of route (issue 10): the edge refuses anything bigger while it streams in. */
export const BODY_LIMITS = {
  slack: 1024 * 1024,
  teams: 512 * 1024,
  web: 32 * 1024,
  /** GET routes (OAuth callbacks, pages, probes) carry no body worth reading. */
  get: 1024,
} as const;

export interface HttpAppOptions {
  /** Time a client has to send the request headers (slow-loris defence). */
  readonly headersTimeoutMs?: number;
  /** Time a client has to send the whole request, body included. */
  readonly requestTimeoutMs?: number;
  /** Idle keep-alive connections are closed after this. */
  readonly keepAliveTimeoutMs?: number;
  /** How often Node checks the two timeouts above (its default, 30 s, lets a slow client linger). */
  readonly timeoutCheckIntervalMs?: number;
  /** Answer 503 to every request until `open()` (the composition root listens before it mounts). */
  readonly closedUntilOpen?: boolean;
  /** Counts every answered request by channel and status class and times it until the response is sent. */
  readonly metrics?: HttpEdgeMetrics;
}

interface Route {
  readonly method: string;
  readonly pattern: RegExp;
  readonly keys: readonly string[];
  readonly handler: HttpHandler;
  readonly bodyLimit: number;
  readonly channel: HttpChannel;
  readonly precheck?: (req: IncomingMessage) => number | undefined;
}

const REQUEST_ID = /^[\w.:-]{1,64}$/;
const buffered = new WeakMap<IncomingMessage, Buffer>();

/**
 * The product's one HTTP server. Channels, OAuth callbacks, the playground and operations endpoints
 * mount routes here; handlers receive Node's own request/response so SDK receivers (Bolt, the
 * Agents SDK adapter) can read raw bodies for signature checks.
 *
 * The edge never falls over: a malformed target gets 400, a body over the route's limit gets 413
 * while it streams in (it is buffered here, bounded, before any handler runs), a throwing handler
 * gets 500 with its request id in the log, and until `open()` every request gets 503 so a client
 * never mistakes a half-started server's 404 for a refusal.
 */
export class HttpApp {
  private readonly routes: Route[] = [];
  private server?: Server;
  private opened: boolean;

  constructor(private readonly logger: Logger, private readonly options: HttpAppOptions = {}) {
    this.opened = !options.closedUntilOpen;
  }

  /** `path` may contain `:name` segments and may end with `*` to match a prefix. */
  route(method: string, path: string, handler: HttpHandler, options: RouteOptions = {}): this {
    const keys: string[] = [];
    const wildcard = path.endsWith('*');
    const body = (wildcard ? path.slice(0, -1) : path)
      .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
      .replace(/:(\w+)/g, (_m, key: string) => {
        keys.push(key);
        return '([^/]+)';
      });
    const pattern = new RegExp(`^${body}${wildcard ? '.*' : '/?'}$`);
    const upper = method.toUpperCase();
    const bodyLimit = options.bodyLimit ?? (upper === 'GET' ? BODY_LIMITS.get : BODY_LIMITS.web);
    const channel = options.channel ?? channelOf(wildcard ? path.slice(0, -1) : path);
    this.routes.push({ method: upper, pattern, keys, handler, bodyLimit, channel, ...(options.precheck ? { precheck: options.precheck } : {}) });
    return this;
  }

  /** Every route is mounted: stop answering 503. */
  open(): void {
    this.opened = true;
  }

  get isOpen(): boolean {
    return this.opened;
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const metrics = this.options.metrics;
    if (!metrics) return this.dispatch(req, res, () => undefined);
    const started = performance.now();
    let channel: HttpChannel = 'unmatched';
    // 'close' fires once per response, whether it was sent, refused or the client went away; SDK
    // receivers (Bolt) may answer after their handler returned, so the response is what is timed.
    res.once('close', () => {
      const statusClass = res.writableFinished ? `${Math.floor(res.statusCode / 100)}xx` : 'aborted';
      metrics.requests.inc({ channel, status_class: statusClass });
      metrics.seconds.observe({ channel }, (performance.now() - started) / 1000);
    });
    return this.dispatch(req, res, (matched) => (channel = matched));
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse, matched: (channel: HttpChannel) => void): Promise<void> {
    const requestId = requestIdOf(req);
    res.setHeader('x-request-id', requestId);
    const method = (req.method ?? 'GET').toUpperCase();
    if (!this.opened) {
      return sendJson(res, 503, { error: { code: 'starting', message: 'Switchboard is starting; try again in a moment.' } }, { 'retry-after': '1', 'cache-control': 'no-store' });
    }
    const target = parseRequestTarget(req.url);
    if (!target) return sendJson(res, 400, { error: { code: 'bad_request', message: 'The request URL is not valid.' } });
    let pathMatched = false;
    for (const route of this.routes) {
      const match = route.pattern.exec(target.pathname);
      if (!match) continue;
      pathMatched = true;
      matched(route.channel);
      if (route.method !== method && !(route.method === 'GET' && method === 'HEAD')) continue;
      const params: Record<string, string> = {};
      route.keys.forEach((key, i) => (params[key] = decodeURIComponent(match[i + 1] ?? '')));
      try {
        const refused = route.precheck?.(req);
        if (refused !== undefined) {
          return sendJson(res, refused, { error: { code: refused === 401 ? 'unauthorized' : 'refused', message: 'The request was refused.' } }, { connection: 'close' });
        }
        if (!(await this.bufferBody(req, res, route.bodyLimit, requestId))) return;
        await route.handler(req, res, params);
      } catch (error) {
        this.logger.error({ err: error, requestId, method, path: target.pathname }, 'http handler failed');
        if (!res.headersSent) sendJson(res, 500, { error: { code: 'internal', message: 'Something went wrong on our side.', requestId } });
        else res.end();
      }
      return;
    }
    sendJson(res, pathMatched ? 405 : 404, { error: { code: pathMatched ? 'method_not_allowed' : 'not_found', message: pathMatched ? 'Method not allowed' : 'Not found' } });
  }

  /** Reads the body (bounded) before the handler runs; false when the client was already answered. */
  private async bufferBody(req: IncomingMessage, res: ServerResponse, limit: number, requestId: string): Promise<boolean> {
    const declared = req.headers['content-length'];
    const chunked = req.headers['transfer-encoding'] !== undefined;
    if (!chunked && (declared === undefined || declared === '0')) return true;
    if (declared !== undefined && Number(declared) > limit) {
      tooLarge(res, limit);
      return false;
    }
    try {
      buffered.set(req, await readStream(req, limit));
      return true;
    } catch (error) {
      if (error instanceof PayloadTooLargeError) {
        tooLarge(res, limit);
        return false;
      }
      // The client went away or broke the framing mid-body; nobody is left to answer properly.
      this.logger.debug({ requestId, reason: error instanceof Error ? error.message : String(error) }, 'request body could not be read');
      if (!res.headersSent && !res.writableEnded) sendJson(res, 400, { error: { code: 'bad_request', message: 'The request body could not be read.' } }, { connection: 'close' });
      return false;
    }
  }

  async listen(port: number, host = '0.0.0.0'): Promise<{ port: number; url: string }> {
    const server = createServer({ connectionsCheckingInterval: this.options.timeoutCheckIntervalMs ?? 2_000 }, (req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        // handle() catches its own failures; this is the last line so no request can end the process.
        this.logger.error({ err: error, requestId: res.getHeader('x-request-id') }, 'http request failed outside its handler');
        if (!res.headersSent) sendJson(res, 500, { error: { code: 'internal', message: 'Something went wrong on our side.' } });
        else res.end();
      });
    });
    server.headersTimeout = this.options.headersTimeoutMs ?? 15_000;
    server.requestTimeout = this.options.requestTimeoutMs ?? 30_000;
    server.keepAliveTimeout = this.options.keepAliveTimeoutMs ?? 5_000;
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    const actual = (server.address() as AddressInfo).port;
    return { port: actual, url: `http://${host === '0.0.0.0' ? 'localhost' : host}:${actual}` };
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    this.opened = false;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

function tooLarge(res: ServerResponse, limit: number): void {
  // Closing the connection stops a client that is still streaming the rest of an oversized body.
  sendJson(res, 413, { error: { code: 'payload_too_large', message: `That request is too large (the limit is ${limit} bytes).` } }, { connection: 'close' });
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

async function readStream(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limitBytes) throw new PayloadTooLargeError(limitBytes);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** The body HttpApp already read for this request (bounded by the route's limit), if it had one. */
export function bufferedBody(req: IncomingMessage): Buffer | undefined {
  return buffered.get(req);
}

/** Reads a request body with a hard size limit (oversized input is refused, never buffered whole). */
export async function readBody(req: IncomingMessage, limitBytes = 1_000_000): Promise<string> {
  const already = buffered.get(req);
  if (already) {
    if (already.length > limitBytes) throw new PayloadTooLargeError(limitBytes);
    return already.toString('utf8');
  }
  if (req.readableEnded) return '';
  return (await readStream(req, limitBytes)).toString('utf8');
}

export class PayloadTooLargeError extends Error {
  readonly code = 'payload_too_large';
  constructor(readonly limitBytes: number) {
    super(`request body exceeds ${limitBytes} bytes`);
  }
}
