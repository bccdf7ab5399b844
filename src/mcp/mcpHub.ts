import type { TenantConfig } from '../config/tenantConfig.js';
import type { Logger } from '../core/logger.js';
import type { RegisteredTool } from '../tools/registry.js';
import { McpConnection, type McpServerState } from './mcpConnection.js';
import { mcpRegisteredTool } from './mcpToolDefinition.js';

export interface McpHubOptions {
  readonly tenants: readonly TenantConfig[];
  readonly logger: Logger;
  readonly env?: (name: string) => string | undefined;
  /** How long start() waits for first discovery before letting startup go on (servers keep connecting after). */
  readonly startupWaitMs?: number;
  readonly discoveryTimeoutMs?: number;
  readonly retryDelayMs?: number;
  readonly maxRetryDelayMs?: number;
}

export interface McpServerStatus {
  readonly tenantId: string;
  readonly id: string;
  /** `unsupported`: configured with per-user OAuth, which is not wired yet; its tools are not offered. */
  readonly state: McpServerState | 'unsupported';
  readonly tools: number;
  readonly lastError?: string;
}

/**
 * Every tenant's MCP servers. The engine asks it for the tools of a tenant; `version` moves whenever
 * a server's tool list changes, so the tenant's registry is rebuilt only then.
 */
export class McpHub {
  private readonly connections = new Map<string, McpConnection[]>();
  private readonly versions = new Map<string, number>();
  private readonly cache = new Map<string, { version: number; tools: readonly RegisteredTool[] }>();
  private readonly unsupported: McpServerStatus[] = [];

  constructor(private readonly options: McpHubOptions) {
    for (const tenant of options.tenants) {
      const list: McpConnection[] = [];
      for (const server of tenant.mcpServers) {
        if (server.auth.type === 'oauth') {
          options.logger.warn({ tenantId: tenant.id, server: server.id }, 'MCP server with per-user OAuth is not supported yet; its tools are not offered');
          this.unsupported.push({ tenantId: tenant.id, id: server.id, state: 'unsupported', tools: 0 });
          continue;
        }
        list.push(new McpConnection({
          config: server,
          logger: options.logger.child({ tenantId: tenant.id, mcpServer: server.id }),
          env: options.env ?? ((name) => process.env[name]),
          onToolsChanged: () => this.bump(tenant.id),
          ...(options.discoveryTimeoutMs !== undefined ? { discoveryTimeoutMs: options.discoveryTimeoutMs } : {}),
          ...(options.retryDelayMs !== undefined ? { retryDelayMs: options.retryDelayMs } : {}),
          ...(options.maxRetryDelayMs !== undefined ? { maxRetryDelayMs: options.maxRetryDelayMs } : {}),
        }));
      }
      if (list.length > 0) this.connections.set(tenant.id, list);
    }
  }

  /** First discovery of every server, waited for at most `startupWaitMs`; never throws. */
  async start(): Promise<void> {
    const all = [...this.connections.values()].flat().map((c) => c.discover());
    if (all.length === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const wait = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.options.startupWaitMs ?? 5_000);
      timer.unref();
    });
    await Promise.race([Promise.all(all), wait]);
    if (timer) clearTimeout(timer);
  }

  async stop(): Promise<void> {
    await Promise.all([...this.connections.values()].flat().map((c) => c.stop()));
  }

  /** Rediscovers every server of a tenant now (tests, operators). */
  async refresh(tenantId: string): Promise<void> {
    await Promise.all((this.connections.get(tenantId) ?? []).map((c) => c.discover()));
  }

  version(tenantId: string): number {
    return this.versions.get(tenantId) ?? 0;
  }

  tools(tenantId: string): readonly RegisteredTool[] {
    const version = this.version(tenantId);
    const cached = this.cache.get(tenantId);
    if (cached && cached.version === version) return cached.tools;
    const tools: RegisteredTool[] = [];
    const seen = new Set<string>();
    for (const connection of this.connections.get(tenantId) ?? []) {
      for (const tool of connection.listTools()) {
        const registered = mcpRegisteredTool(connection, tool);
        if (seen.has(registered.name)) {
          this.options.logger.warn({ tenantId, tool: registered.name }, 'two MCP tools map to the same name; the second is ignored');
          continue;
        }
        seen.add(registered.name);
        tools.push(registered);
      }
    }
    this.cache.set(tenantId, { version, tools });
    return tools;
  }

  status(): McpServerStatus[] {
    return [...[...this.connections.entries()].flatMap(([tenantId, list]) => list.map((c) => ({ tenantId, ...c.status() }))), ...this.unsupported];
  }

  /** One line for the startup banner: "MCP kb ready (12 tools), wiki down (fetch failed)". */
  describe(tenantId: string): string | undefined {
    const servers = this.status().filter((s) => s.tenantId === tenantId);
    if (servers.length === 0) return undefined;
    const line = (s: McpServerStatus): string => {
      if (s.state === 'ready') return `${s.id} ready (${s.tools} tools)`;
      if (s.state === 'unsupported') return `${s.id} off (per-user OAuth not supported yet)`;
      return `${s.id} ${s.state}, retrying${s.lastError ? ` (${s.lastError.slice(0, 80)})` : ''}`;
    };
    return `MCP ${servers.map(line).join(', ')}`;
  }

  private bump(tenantId: string): void {
    this.versions.set(tenantId, this.version(tenantId) + 1);
  }
}
