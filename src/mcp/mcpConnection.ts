import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from '../core/logger.js';
import { ToolTimeoutError } from '../tools/pipeline/errors.js';
import { McpResultTooLargeError, McpServerDownError, McpServerError, McpToolError } from './mcpErrors.js';
import type { McpServerConfig } from './mcpServerConfig.js';

/** JSON-RPC code the SDK uses for a request that got no answer in time (ErrorCode.RequestTimeout). */
const REQUEST_TIMEOUT = -32001;

export type McpServerState = 'connecting' | 'ready' | 'down' | 'stopped';

export interface McpConnectionOptions {
  readonly config: McpServerConfig;
  readonly logger: Logger;
  /** Reads the environment variable a static key is named by (injected so tests and configs stay explicit). */
  readonly env: (name: string) => string | undefined;
  /** Called whenever the discovered tool list changes (first discovery, list_changed, rediscovery). */
  readonly onToolsChanged: () => void;
  /** Timeout of one discovery (connect + list), ms. */
  readonly discoveryTimeoutMs?: number;
  /** First delay before retrying a server that could not be reached; doubles up to `maxRetryDelayMs`. */
  readonly retryDelayMs?: number;
  readonly maxRetryDelayMs?: number;
  /** Tool lists are also re-read this often (a notification stream can die silently); 0 = never. */
  readonly refreshIntervalMs?: number;
}


/**
 * One tenant MCP server over Streamable HTTP: discovers its tools, follows `tools/list_changed`,
 * calls tools, and keeps trying in the background when the server is down. Nothing here throws out
 * of a background path: failures are logged and reported through `status()`.
 */
export class McpConnection {
  private client: Client | undefined;
  private tools: readonly Tool[] = [];
  private state: McpServerState = 'connecting';
  private lastError: string | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryDelay: number;
  private discovering: Promise<void> | undefined;
  private stopped = false;
  private readonly refreshTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: McpConnectionOptions) {
    this.retryDelay = options.retryDelayMs ?? 5_000;
    const every = options.refreshIntervalMs ?? 300_000;
    if (every > 0) {
      this.refreshTimer = setInterval(() => {
        if (this.state === 'ready' && !this.discovering) this.scheduleRediscovery(0, false);
      }, every);
      this.refreshTimer.unref();
    }
  }

  get config(): McpServerConfig {
    return this.options.config;
  }

  status(): { id: string; state: McpServerState; tools: number; lastError?: string } {
    return { id: this.config.id, state: this.state, tools: this.tools.length, ...(this.lastError ? { lastError: this.lastError } : {}) };
  }

  /** The last tool list the server gave (kept while it is down, so waiting approvals still find their tool). */
  listTools(): readonly Tool[] {
    return this.tools;
  }

  /** Connects and lists the tools; never throws (a failure schedules a retry). */
  discover(): Promise<void> {
    this.discovering ??= this.connectAndList().finally(() => (this.discovering = undefined));
    return this.discovering;
  }

  async callTool(name: string, args: Record<string, unknown>, signal: AbortSignal): Promise<CallToolResult> {
    // A reconnect under way (after a failed call, or a restarted server) is waited for, not failed.
    if (this.discovering) await Promise.race([this.discovering, abortion(signal)]);
    const client = this.client;
    if (!client || this.state !== 'ready') throw new McpServerDownError(this.config.displayName);
    let result: CallToolResult;
    try {
      result = (await client.callTool({ name, arguments: args }, undefined, { signal, timeout: this.config.timeoutMs })) as CallToolResult;
    } catch (error) {
      if (signal.aborted) throw error;
      const code = (error as { code?: unknown }).code;
      // JSON-RPC "invalid params" / "method not found": the server works and refused this call.
      if (code === -32602 || code === -32601) throw new McpToolError(this.config.displayName, name, error instanceof Error ? error.message : 'refused');
      this.report(error);
      // No answer in time: `tool_timeout`, so a write is read back / reported unconfirmed, never retried blindly.
      if (code === REQUEST_TIMEOUT) throw new ToolTimeoutError(this.config.displayName, this.config.timeoutMs);
      // The session may be gone (server restarted): reconnect and relist in the background.
      this.scheduleRediscovery(0);
      throw new McpServerError(this.config.displayName, error instanceof Error ? error.message : 'call failed', error);
    }
    const bytes = Buffer.byteLength(JSON.stringify(result ?? null));
    if (bytes > this.config.maxResultBytes) {
      this.report(new Error(`result of ${bytes} bytes`));
      throw new McpResultTooLargeError(this.config.displayName, bytes, this.config.maxResultBytes);
    }
    return result;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.state = 'stopped';
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.refreshTimer) clearInterval(this.refreshTimer);
    await this.discovering?.catch(() => undefined);
    await this.closeClient();
  }

  private async connectAndList(): Promise<void> {
    if (this.stopped) return;
    await this.closeClient();
    const timeout = AbortSignal.timeout(this.options.discoveryTimeoutMs ?? 10_000);
    const client = new Client(
      { name: 'switchboard', version: '1.0.0' },
      {
        capabilities: {},
        listChanged: {
          tools: {
            autoRefresh: false,
            debounceMs: 50,
            onChanged: () => this.scheduleRediscovery(0, false),
          },
        },
      },
    );
    client.onerror = (error) => this.options.logger.debug({ server: this.config.id, err: error }, 'MCP transport error');
    try {
      const transport = new StreamableHTTPClientTransport(new URL(this.config.url), {
        requestInit: { headers: this.headers() },
        fetch: cappedFetch(this.config.maxResultBytes * 2 + 64_000),
      });
      await client.connect(transport, { signal: timeout, timeout: this.options.discoveryTimeoutMs ?? 10_000 });
      if (this.stopped) {
        await client.close().catch(() => undefined);
        return;
      }
      this.client = client;
      await this.relist();
      this.retryDelay = this.options.retryDelayMs ?? 5_000;
    } catch (error) {
      await client.close().catch(() => undefined);
      if (this.client === client) this.client = undefined;
      this.state = 'down';
      this.report(error);
      this.scheduleRediscovery(this.retryDelay);
      this.retryDelay = Math.min(this.retryDelay * 2, this.options.maxRetryDelayMs ?? 60_000);
    }
  }

  /** Lists every page of tools; a listing that fails leaves the previous list in place. */
  private async relist(): Promise<void> {
    const client = this.client;
    if (!client) return;
    const tools: Tool[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 50; page += 1) {
      const result = await client.listTools(cursor ? { cursor } : undefined, { timeout: this.options.discoveryTimeoutMs ?? 10_000 });
      tools.push(...result.tools);
      cursor = result.nextCursor;
      if (!cursor || tools.length >= this.config.maxTools) break;
    }
    if (tools.length > this.config.maxTools) {
      this.options.logger.warn({ server: this.config.id, offered: tools.length, kept: this.config.maxTools }, 'MCP server offers more tools than configured; extra tools ignored');
    }
    this.tools = tools.slice(0, this.config.maxTools);
    this.state = 'ready';
    this.lastError = undefined;
    this.options.logger.info({ server: this.config.id, tools: this.tools.length }, 'MCP tools discovered');
    this.options.onToolsChanged();
  }

  /** `full` reconnects; otherwise only relists on the live session (a list_changed notification). */
  private scheduleRediscovery(delayMs: number, full = true): void {
    if (this.stopped) return;
    if (!full && this.client && this.state === 'ready') {
      void this.relist().catch((error: unknown) => {
        this.report(error);
        this.scheduleRediscovery(0);
      });
      return;
    }
    if (this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.discover();
    }, delayMs);
    this.retryTimer.unref();
  }

  private headers(): Record<string, string> {
    const auth = this.config.auth;
    if (auth.type !== 'static') return {};
    const key = this.options.env(auth.keyEnv);
    if (!key) throw new McpServerError(this.config.displayName, `environment variable ${auth.keyEnv} is not set`);
    return auth.header.toLowerCase() === 'authorization' ? { authorization: `Bearer ${key}` } : { [auth.header]: key };
  }

  private report(error: unknown): void {
    this.lastError = error instanceof Error ? error.message.slice(0, 300) : 'failed';
    this.options.logger.warn({ server: this.config.id, state: this.state, error: this.lastError }, 'MCP server misbehaved');
  }

  private async closeClient(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    await client?.close().catch(() => undefined);
  }
}

function abortion(signal: AbortSignal): Promise<never> {
  return new Promise((_resolve, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

/**
 * Answers to our POSTs (a tool result, a tool list) are cut off past `limit` bytes while they stream
 * in, so a server cannot exhaust memory before the size check. The long-lived notification stream
 * (GET) is left alone.
 */
function cappedFetch(limit: number): FetchLike {
  return async (url, init) => {
    const response = await fetch(url, init);
    if (init?.method !== 'POST' || !response.body) return response;
    let seen = 0;
    const capped = response.body.pipeThrough(new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > limit) controller.error(new Error(`answer larger than ${limit} bytes`));
        else controller.enqueue(chunk);
      },
    }));
    return new Response(capped, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}
