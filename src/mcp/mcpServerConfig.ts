import { z } from 'zod';

/**
 * One tenant MCP server in the tenants file. Secrets never live in the file: a static key is named
 * by the environment variable that holds it.
 */
const authSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('none') }),
  z.object({
    type: z.literal('static'),
    /** Environment variable holding the key. */
    keyEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/),
    /** Header the key is sent in; `authorization` sends `Bearer <key>`. */
    header: z.string().regex(/^[A-Za-z0-9-]+$/).default('authorization'),
  }),
  /** Per-employee OAuth (MCP authorization spec); not wired yet: such servers are skipped with a warning. */
  z.object({ type: z.literal('oauth'), scopes: z.array(z.string()).default([]) }),
]);

const riskRuleSchema = z.object({
  /** Patterns (`*` wildcard) on the server's own tool name or on the namespaced `<serverId>_<tool>`. */
  tools: z.array(z.string().min(1)).min(1),
  risk: z.enum(['read', 'write', 'high']),
  /** Whether repeating a call cannot change the outcome (allows retries); default: read tools only. */
  idempotent: z.boolean().optional(),
});

export const mcpServerSchema = z.object({
  /** Tenant-unique; tools are namespaced `<id>_<tool>`. Underscores are left out so the prefix stays unambiguous. */
  id: z.string().regex(/^[a-z][a-z0-9-]{0,23}$/),
  url: z.string().url(),
  displayName: z.string().min(1).max(80),
  auth: authSchema.default({ type: 'none' }),
  /** Risk tiers by tool-name pattern, first match wins; they override the server's annotations. */
  risk: z.array(riskRuleSchema).default([]),
  /**
   * One call's limit, ms. Kept below the pipeline's per-attempt timeout so a slow server fails as
   * this server's own retryable error, which its breaker counts.
   */
  timeoutMs: z.number().int().positive().max(120_000).default(15_000),
  /** A call whose result is larger than this (serialized) is refused as a misbehaving server. */
  maxResultBytes: z.number().int().positive().max(4_000_000).default(256_000),
  /** A tool list larger than this is cut (and reported) so one server cannot flood the planner. */
  maxTools: z.number().int().positive().max(500).default(100),
});

export type McpServerConfig = z.infer<typeof mcpServerSchema>;
export type McpRiskRule = z.infer<typeof riskRuleSchema>;
