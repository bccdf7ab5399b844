import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mulberry32 } from './sandbox/random.js';

/**
 * The HTTP plumbing every sandbox shares: routing, body parsing, fault injection and a clean stop.
 * What a route returns (paths, shapes, headers, status codes) is each sandbox's own business and
 * must match the real API.
 */
export interface SandboxRequest {
  readonly method: string;
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly headers: IncomingMessage['headers'];
  /** Parsed JSON or form body; undefined when there is none. */
  readonly body: unknown;
  readonly rawBody: string;
  readonly url: URL;
}

export interface SandboxResponse {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  /** Sent as-is instead of JSON (HTML consent pages, redirects). */
  readonly text?: string;
}

export interface SandboxExchange {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly requestBody: unknown;
  readonly status: number;
  readonly responseHeaders: Readonly<Record<string, string>>;
  readonly responseBody: unknown;
  /** True when fault injection answered instead of the API (vendors' fault shapes are still checked). */
  readonly faultInjected: boolean;
}

export type SandboxHandler = (req: SandboxRequest) => SandboxResponse | Promise<SandboxResponse>;

export interface FaultSettings {
  /** Share of requests (0..1) answered with a 5xx before reaching the handler. */
  errorRate: number;
  /** Added latency per request. */
  latencyMs: number;
  /** The next N requests are answered with the sandbox's rate-limit response. */
  rateLimitBurst: number;
  /** Only requests whose path starts with this prefix are affected (OAuth endpoints excluded by default). */
  pathPrefix?: string;
}

export interface SandboxServerOptions {
  readonly name: string;
  /** The vendor's own 429/403 rate-limit response. */
  readonly rateLimitResponse: () => SandboxResponse;
  /** The vendor's own 5xx response shape. */
  readonly serverErrorResponse: () => SandboxResponse;
  /** Seed for fault injection, so a test run is reproducible. */
  readonly seed?: number;
}

interface Route {
  readonly method: string;
  readonly pattern: RegExp;
  readonly keys: readonly string[];
  readonly handler: SandboxHandler;
}

export class SandboxServer {
  readonly faults: FaultSettings = { errorRate: 0, latencyMs: 0, rateLimitBurst: 0 };
  /** Every request received, for tests that check what the client sent. */
  readonly requests: { method: string; path: string; headers: IncomingMessage['headers']; body: unknown }[] = [];
  /** Every request with the response it got, for contract tests against the vendor's OpenAPI document. */
  readonly exchanges: SandboxExchange[] = [];
  private readonly routes: Route[] = [];
  private server?: Server;
  private random: () => number;
  private baseUrl = '';

  constructor(private readonly options: SandboxServerOptions) {
    this.random = mulberry32(options.seed ?? 42);
  }

  /** `path` uses `:name` segments, e.g. `/api/now/table/:table/:sysId`. */
  route(method: string, path: string, handler: SandboxHandler): this {
    const keys: string[] = [];
    const source = path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:(\w+)/g, (_m, key: string) => {
      keys.push(key);
      return '([^/]+)';
    });
    this.routes.push({ method: method.toUpperCase(), pattern: new RegExp(`^${source}/?$`), keys, handler });
    return this;
  }

  setFaults(settings: Partial<FaultSettings>): void {
    Object.assign(this.faults, settings);
  }

  resetFaults(): void {
    Object.assign(this.faults, { errorRate: 0, latencyMs: 0, rateLimitBurst: 0, pathPrefix: undefined });
  }

  get url(): string {
    if (!this.baseUrl) throw new Error(`${this.options.name} sandbox is not listening`);
    return this.baseUrl;
  }

  async listen(port = 0, host = '127.0.0.1'): Promise<string> {
    this.server = createServer((req, res) => {
      void this.handle(req, res);
    });
    await new Promise<void>((resolve, reject) => {
      this.server?.once('error', reject);
      this.server?.listen(port, host, () => resolve());
    });
    const address = this.server.address() as AddressInfo;
    this.baseUrl = `http://${host}:${address.port}`;
    return this.baseUrl;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const rawBody = await readBody(req);
      const url = new URL(req.url ?? '/', this.baseUrl || 'http://127.0.0.1');
      const method = (req.method ?? 'GET').toUpperCase();
      const body = parseBody(rawBody, req.headers['content-type']);
      this.requests.push({ method, path: url.pathname, headers: req.headers, body });

      const record = (response: SandboxResponse): void => {
        this.exchanges.push({ method, path: url.pathname, query: url.search, requestBody: body, status: response.status, responseHeaders: response.headers ?? {}, responseBody: response.body, faultInjected: response === faulted });
        send(res, response);
      };
      const faulted: SandboxResponse | undefined = await this.injectFault(url.pathname);
      if (faulted) return record(faulted);

      for (const route of this.routes) {
        if (route.method !== method) continue;
        const match = route.pattern.exec(url.pathname);
        if (!match) continue;
        const params: Record<string, string> = {};
        route.keys.forEach((key, i) => (params[key] = decodeURIComponent(match[i + 1] ?? '')));
        const response = await route.handler({ method, path: url.pathname, params, query: url.searchParams, headers: req.headers, body, rawBody, url });
        return record(response);
      }
      record({ status: 404, body: { error: `no route for ${method} ${url.pathname}` } });
    } catch (error) {
      send(res, { status: 500, body: { error: error instanceof Error ? error.message : 'sandbox failure' } });
    }
  }

  private async injectFault(path: string): Promise<SandboxResponse | undefined> {
    const { errorRate, latencyMs, rateLimitBurst, pathPrefix } = this.faults;
    const applies = pathPrefix ? path.startsWith(pathPrefix) : !/oauth|token|authorize/i.test(path);
    if (!applies) return undefined;
    if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
    if (rateLimitBurst > 0) {
      this.faults.rateLimitBurst -= 1;
      return this.options.rateLimitResponse();
    }
    if (errorRate > 0 && this.random() < errorRate) return this.options.serverErrorResponse();
    return undefined;
  }
}

function send(res: ServerResponse, response: SandboxResponse): void {
  const headers: Record<string, string> = { ...(response.headers ?? {}) };
  let payload = '';
  if (response.text !== undefined) payload = response.text;
  else if (response.body !== undefined) {
    payload = JSON.stringify(response.body);
    headers['content-type'] ??= 'application/json;charset=UTF-8';
  }
  res.writeHead(response.status, headers);
  res.end(payload);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseBody(raw: string, contentType: string | undefined): unknown {
  if (!raw) return undefined;
  if (contentType?.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(raw));
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}
