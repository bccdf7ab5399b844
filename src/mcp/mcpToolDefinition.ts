import { z } from 'zod';
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import type { RegisteredTool } from '../tools/registry.js';
import type { ToolDefinition } from '../tools/tool.js';
import { quoteData } from '../tools/outputSummary.js';
import type { McpConnection } from './mcpConnection.js';
import { McpToolError } from './mcpErrors.js';
import { governanceFor } from './mcpRisk.js';

/** What an MCP call hands back to the planner: data only, never instructions (results are marked untrusted by the pipeline). */
export interface McpToolOutput {
  /** `structuredContent` when the server gave it (validated by the SDK against the tool's output schema). */
  readonly structured?: Record<string, unknown>;
  /** The text parts of `content`, joined. */
  readonly text?: string;
  /** Non-text parts (images, resources) are named, not passed on. */
  readonly attachments?: readonly string[];
}

const outputSchema: z.ZodType<McpToolOutput> = z.object({
  structured: z.record(z.string(), z.unknown()).optional(),
  text: z.string().optional(),
  attachments: z.array(z.string()).optional(),
});

const DESCRIPTION_MAX = 300;

/** `<serverId>_<tool>` in the characters (and length) every model provider accepts for function names. */
export function namespacedName(serverId: string, tool: string): string {
  return `${serverId}_${tool.toLowerCase().replace(/[^a-z0-9_]+/g, '_')}`.slice(0, 64);
}

/**
 * Server-written text that reaches the planner's tool list: one line, bounded, and without the
 * characters that could open or close a fenced block (`<tool_results>`) or format a message.
 */
export function plainServerText(text: string, max: number): string {
  const flat = text.replace(/[\p{Cc}\p{Cf}]+/gu, ' ').replace(/[<>`]/g, '').replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** Descriptions inside the schema are server text too: flattened and bounded like the tool's own. */
function plainDescriptions(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(plainDescriptions);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
    out[key] = key === 'description' && typeof value === 'string' ? plainServerText(value, 200) : plainDescriptions(value);
  }
  return out;
}

/** The server's input schema as jsonschema validates it and the planner shows it; `$schema` is dropped. */
function inputSchemaOf(tool: Tool): Record<string, unknown> {
  const schema = plainDescriptions(JSON.parse(JSON.stringify(tool.inputSchema))) as Record<string, unknown>;
  delete schema.$schema;
  return schema;
}

function outputOf(result: CallToolResult): McpToolOutput {
  const texts: string[] = [];
  const attachments: string[] = [];
  for (const part of result.content ?? []) {
    if (part.type === 'text') texts.push(part.text);
    else attachments.push(part.type === 'resource_link' ? `${part.type}: ${part.uri}` : part.type);
  }
  return {
    ...(result.structuredContent ? { structured: result.structuredContent } : {}),
    ...(texts.length > 0 ? { text: texts.join('\n') } : {}),
    ...(attachments.length > 0 ? { attachments } : {}),
  };
}

/**
 * One discovered MCP tool as a registry entry, governed like a built-in: risk tier (config, then
 * annotations, else an approval-needing write), arguments checked against the server's JSON Schema
 * by the pipeline, its own breaker, and a result that is only ever data.
 */
export function mcpRegisteredTool(connection: McpConnection, tool: Tool): RegisteredTool {
  const config = connection.config;
  const name = namespacedName(config.id, tool.name);
  const governance = governanceFor({ localName: tool.name, namespaced: name, hints: tool.annotations, rules: config.risk });
  const title = tool.title ?? tool.annotations?.title ?? tool.name;
  const description = `${config.displayName}: ${plainServerText(tool.description ?? title, DESCRIPTION_MAX)}`;
  const definition: ToolDefinition<Record<string, unknown>, McpToolOutput> = {
    name: tool.name,
    description,
    // The server's JSON Schema is the contract (validated with jsonschema before any call); zod only insists on an object.
    input: z.record(z.string(), z.unknown()),
    output: outputSchema,
    risk: governance.risk,
    idempotent: governance.idempotent,
    scopes: [],
    // The approval card lists every argument itself (actionView); the headline names the system and tool.
    describe: () => `Run ${quoteData(title, 80)} in ${config.displayName}`,
    summarize: (output) => (output.text ? `${config.displayName} answered ${quoteData(output.text)}` : `${config.displayName} answered.`),
    async execute(ctx, args) {
      const result = await connection.callTool(tool.name, args, ctx.signal);
      const output = outputOf(result);
      if (result.isError) throw new McpToolError(config.displayName, tool.name, output.text ?? 'the tool reported an error');
      return output;
    },
  };
  return {
    name,
    definition: definition as ToolDefinition<unknown, unknown>,
    jsonSchema: inputSchemaOf(tool),
    breakerId: `mcp:${config.id}`,
  };
}
