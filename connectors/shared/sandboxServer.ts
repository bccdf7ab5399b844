import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
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
  /** Share of writes (POST/PUT/PATCH/DELETE, 0..1) that are applied but whose response is lost (the connection is dropped). */
  lostWriteRate: number;
  /** Share of writes (0..1) that are applied but answered only after `lateWriteMs`. */
  lateWriteRate: number;
  /** How late a late write's response is. */
  lateWriteMs: number;
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

const ADMIN_PREFIX = '/__sandbox';
const WRITE_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const NO_FAULTS: FaultSettings = { errorRate: 0, latencyMs: 0, rateLimitBurst: 0, lostWriteRate: 0, lateWriteRate: 0, lateWriteMs: 0 };

const rate = z.number().min(0).max(1);
/** What PUT /__sandbox/faults accepts (every field optional; `pathPrefix: null` clears it). */
const faultSettingsSchema = z.object({
  errorRate: rate.optional(),
  latencyMs: z.number().int().min(0).max(120_000).optional(),
  rateLimitBurst: z.number().int().min(0).max(10_000).optional(),
  lostWriteRate: rate.optional(),
  lateWriteRate: rate.optional(),
  lateWriteMs: z.number().int().min(0).max(120_000).optional(),
  pathPrefix: z.string().startsWith('/').max(200).nullable().optional(),
}).strict();

interface Route {
  readonly method: string;
  readonly pattern: RegExp;
  readonly keys: readonly string[];
  readonly handler: SandboxHandler;
}

export class SandboxServer {
  readonly faults: FaultSettings = { ...NO_FAULTS };
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
    Object.assign(this.faults, { ...NO_FAULTS, pathPrefix: undefined });
  }

  /**
   * The admin surface (embedded default or SANDBOX_ADMIN=true only): GET/PUT/DELETE
   * /__sandbox/faults reads, changes or resets the fault knobs; GET /__sandbox/records lists the
   * record collections and GET /__sandbox/records/:collection returns one (read-only). `faultsOf`
   * is the server whose knobs these are (Salesforce: the instance host behind the login host).
   */
  enableAdmin(collections: () => Readonly<Record<string, readonly unknown[]>>, faultsOf: SandboxServer = this): this {
    this.route('GET', `${ADMIN_PREFIX}/faults`, () => ({ status: 200, body: faultsOf.faults }));
    this.route('PUT', `${ADMIN_PREFIX}/faults`, (req) => {
      const parsed = faultSettingsSchema.safeParse(req.body ?? {});
      if (!parsed.success) return { status: 400, body: { error: parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ') } };
      const { pathPrefix, ...rest } = parsed.data;
      faultsOf.setFaults({ ...Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)), ...(pathPrefix !== undefined ? { pathPrefix: pathPrefix ?? undefined } : {}) });
      return { status: 200, body: faultsOf.faults };
    });
    this.route('DELETE', `${ADMIN_PREFIX}/faults`, () => {
      faultsOf.resetFaults();
      return { status: 200, body: faultsOf.faults };
    });
    this.route('GET', `${ADMIN_PREFIX}/records`, () => ({ status: 200, body: Object.fromEntries(Object.entries(collections()).map(([name, rows]) => [name, rows.length])) }));
    this.route('GET', `${ADMIN_PREFIX}/records/:collection`, (req) => {
      const rows = collections()[req.params['collection'] ?? ''];
      return rows ? { status: 200, body: rows } : { status: 404, body: { error: `no collection ${req.params['collection'] ?? ''}` } };
    });
    return this;
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
      const admin = url.pathname.startsWith(ADMIN_PREFIX);
      const faulted: SandboxResponse | undefined = admin ? undefined : await this.injectFault(url.pathname);
      if (faulted) return record(faulted);

      for (const route of this.routes) {
        if (route.method !== method) continue;
        const match = route.pattern.exec(url.pathname);
        if (!match) continue;
        const params: Record<string, string> = {};
        route.keys.forEach((key, i) => (params[key] = decodeURIComponent(match[i + 1] ?? '')));
        const response = await route.handler({ method, path: url.pathname, params, query: url.searchParams, headers: req.headers, body, rawBody, url });
        if (!admin && WRITE_METHODS.has(method) && this.faultApplies(url.pathname)) {
          // The write is applied; only its answer goes missing or comes late (a proxy timeout, a dropped connection).
          if (this.faults.lostWriteRate > 0 && this.random() < this.faults.lostWriteRate) return void res.socket?.destroy();
          if (this.faults.lateWriteRate > 0 && this.random() < this.faults.lateWriteRate) await new Promise((resolve) => setTimeout(resolve, this.faults.lateWriteMs));
        }
        return record(response);
      }
      record({ status: 404, body: { error: `no route for ${method} ${url.pathname}` } });
    } catch (error) {
      send(res, { status: 500, body: { error: error instanceof Error ? error.message : 'sandbox failure' } });
    }
  }

  private faultApplies(path: string): boolean {
    const { pathPrefix } = this.faults;
    return pathPrefix ? path.startsWith(pathPrefix) : !/oauth|token|authorize/i.test(path);
  }

  private async injectFault(path: string): Promise<SandboxResponse | undefined> {
    const { errorRate, latencyMs, rateLimitBurst } = this.faults;
    if (!this.faultApplies(path)) return undefined;
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
