import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../core/logger.js';

export type RouteParams = Readonly<Record<string, string>>;
export type HttpHandler = (req: IncomingMessage, res: ServerResponse, params: RouteParams) => void | Promise<void>;

interface Route {
  readonly method: string;
  readonly pattern: RegExp;
  readonly keys: readonly string[];
  readonly handler: HttpHandler;
}

/**
 * The product's one HTTP server. Channels, OAuth callbacks, the playground and operations endpoints
 * mount routes here; handlers receive Node's own request/response so SDK receivers (Bolt, the
 * Agents SDK adapter) can read raw bodies for signature checks.
 */
export class HttpApp {
  private readonly routes: Route[] = [];
  private server?: Server;

  constructor(private readonly logger: Logger) {}

  /** `path` may contain `:name` segments and may end with `*` to match a prefix. */
  route(method: string, path: string, handler: HttpHandler): this {
    const keys: string[] = [];
    const wildcard = path.endsWith('*');
    const body = (wildcard ? path.slice(0, -1) : path)
      .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
      .replace(/:(\w+)/g, (_m, key: string) => {
        keys.push(key);
        return '([^/]+)';
      });
    const pattern = new RegExp(`^${body}${wildcard ? '.*' : '/?'}$`);
    this.routes.push({ method: method.toUpperCase(), pattern, keys, handler });
    return this;
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = (req.method ?? 'GET').toUpperCase();
    let pathMatched = false;
    for (const route of this.routes) {
      const match = route.pattern.exec(url.pathname);
      if (!match) continue;
      pathMatched = true;
      if (route.method !== method && !(route.method === 'GET' && method === 'HEAD')) continue;
      const params: Record<string, string> = {};
      route.keys.forEach((key, i) => (params[key] = decodeURIComponent(match[i + 1] ?? '')));
      try {
        await route.handler(req, res, params);
      } catch (error) {
        this.logger.error({ err: error, path: url.pathname }, 'http handler failed');
        if (!res.headersSent) sendJson(res, 500, { error: { code: 'internal', message: 'Internal error' } });
        else res.end();
      }
      return;
    }
    sendJson(res, pathMatched ? 405 : 404, { error: { code: pathMatched ? 'method_not_allowed' : 'not_found', message: pathMatched ? 'Method not allowed' : 'Not found' } });
  }

  async listen(port: number, host = '0.0.0.0'): Promise<{ port: number; url: string }> {
    const server = createServer((req, res) => void this.handle(req, res));
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
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

/** Reads a request body with a hard size limit (oversized input is refused, never buffered whole). */
export async function readBody(req: IncomingMessage, limitBytes = 1_000_000): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limitBytes) throw new PayloadTooLargeError(limitBytes);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export class PayloadTooLargeError extends Error {
  readonly code = 'payload_too_large';
  constructor(readonly limitBytes: number) {
    super(`request body exceeds ${limitBytes} bytes`);
  }
}
