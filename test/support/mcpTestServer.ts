import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer, type RegisteredTool } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest, type CallToolResult, type ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';

export interface TestMcpTool {
  readonly name: string;
  readonly description: string;
  readonly input: Record<string, z.ZodType>;
  readonly annotations?: ToolAnnotations;
  /** Returns the result; a tool that should hang awaits `signal`. */
  readonly run: (args: Record<string, unknown>, signal: AbortSignal) => Promise<CallToolResult> | CallToolResult;
}

export interface TestMcpServer {
  readonly url: string;
  /** Every tools/call the server received: tool name and arguments. */
  readonly calls: { tool: string; args: Record<string, unknown> }[];
  /** Registers a tool on every live session (the SDK sends `notifications/tools/list_changed`) and on future ones. */
  addTool(tool: TestMcpTool): void;
  /** Changes a tool's input schema on every live session (list_changed) and for future ones. */
  updateToolInput(name: string, input: Record<string, z.ZodType>): void;
  /** `garbage`: every tools/call gets a 200 answer that is not JSON-RPC. */
  setMode(mode: 'normal' | 'garbage'): void;
  /** Required `authorization` header value, or none. */
  requireAuthorization(value: string | undefined): void;
  stop(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as unknown) : undefined;
}

/**
 * A real MCP server built from the SDK's own classes (McpServer + StreamableHTTPServerTransport),
 * one McpServer per session as the SDK requires, on a loopback port.
 */
export async function startTestMcpServer(initialTools: readonly TestMcpTool[], options: { port?: number } = {}): Promise<TestMcpServer> {
  const tools = [...initialTools];
  const sessions = new Map<string, { transport: StreamableHTTPServerTransport; server: McpServer; registered: Map<string, RegisteredTool> }>();
  const calls: { tool: string; args: Record<string, unknown> }[] = [];
  let mode: 'normal' | 'garbage' = 'normal';
  let authorization: string | undefined;

  const register = (server: McpServer, registered: Map<string, RegisteredTool>, tool: TestMcpTool) => {
    const handle = server.registerTool(tool.name, { description: tool.description, inputSchema: tool.input, ...(tool.annotations ? { annotations: tool.annotations } : {}) }, async (args: Record<string, unknown>, extra) => {
      calls.push({ tool: tool.name, args });
      return tool.run(args, extra.signal);
    });
    registered.set(tool.name, handle);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (authorization !== undefined && req.headers.authorization !== authorization) {
      res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'unauthorized' }));
      return;
    }
    const sessionId = req.headers['mcp-session-id'];
    const existing = typeof sessionId === 'string' ? sessions.get(sessionId) : undefined;
    const body = req.method === 'POST' ? await readBody(req) : undefined;
    if (mode === 'garbage' && (body as { method?: string } | undefined)?.method === 'tools/call') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"this is": not json-rpc at all');
      return;
    }
    if (existing) return existing.transport.handleRequest(req, res, body);
    if (req.method !== 'POST' || !isInitializeRequest(body)) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message: 'unknown session' }, id: null }));
      return;
    }
    const server = new McpServer({ name: 'test-mcp', version: '1.0.0' });
    const registered = new Map<string, RegisteredTool>();
    for (const tool of tools) register(server, registered, tool);
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => void sessions.set(id, { transport, server, registered }),
    });
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
    };
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
  };

  const http: Server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve) => http.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    calls,
    addTool(tool) {
      tools.push(tool);
      for (const { server, registered } of sessions.values()) register(server, registered, tool);
    },
    updateToolInput(name, input) {
      const index = tools.findIndex((t) => t.name === name);
      if (index < 0) throw new Error(`no tool ${name}`);
      tools[index] = { ...tools[index]!, input };
      for (const { registered } of sessions.values()) registered.get(name)?.update({ paramsSchema: input });
    },
    setMode(next) {
      mode = next;
    },
    requireAuthorization(value) {
      authorization = value;
    },
    async stop() {
      for (const { server } of sessions.values()) await server.close().catch(() => undefined);
      sessions.clear();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
