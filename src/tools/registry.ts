import { z } from 'zod';
import type { JsonObject } from '../core/json.js';
import type { TenantConfig } from '../config/tenantConfig.js';
import type { ToolSummary } from '../planner/planner.js';
import type { ConnectorInstanceConfig, ConnectorKind, ConnectorModule } from './connector.js';
import type { ToolDefinition } from './tool.js';
import { customToolDefinition } from './customTool.js';

export interface RegisteredTool {
  /** `<instanceId>_<localName>`, the name planners and the engine use. */
  readonly name: string;
  readonly definition: ToolDefinition<unknown, unknown>;
  readonly connector?: ConnectorInstanceConfig;
  /** Tenant-defined tools carry their JSON Schema, validated with jsonschema at call time. */
  readonly jsonSchema?: Record<string, unknown>;
  /** Tools outside a configured connector (tenant MCP servers) trip their own breaker under this id. */
  readonly breakerId?: string;
}

/** One tenant's tools. Immutable once built, so concurrent runs can share it. */
export class ToolRegistry {
  private readonly byName: ReadonlyMap<string, RegisteredTool>;
  private cachedSummaries?: readonly ToolSummary[];

  constructor(tools: readonly RegisteredTool[]) {
    const map = new Map<string, RegisteredTool>();
    for (const tool of tools) {
      if (map.has(tool.name)) throw new Error(`duplicate tool name ${tool.name}`);
      map.set(tool.name, tool);
    }
    this.byName = map;
  }

  get(name: string): RegisteredTool | undefined {
    return this.byName.get(name);
  }

  list(): readonly RegisteredTool[] {
    return [...this.byName.values()];
  }

  summaries(): readonly ToolSummary[] {
    this.cachedSummaries ??= this.list().map((tool) => ({
      name: tool.name,
      ...(tool.connector ? { connectorId: tool.connector.id, connectorKind: tool.connector.kind } : {}),
      description: tool.definition.description,
      risk: tool.definition.risk,
      parameters: tool.jsonSchema ? (tool.jsonSchema as JsonObject) : parametersOf(tool.definition.input),
    }));
    return this.cachedSummaries;
  }
}

/** Model-facing JSON Schema: input side, closed objects (OpenAI strict mode wants additionalProperties false). */
export function parametersOf(schema: z.ZodType): JsonObject {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  delete json.$schema;
  if (json.type === 'object' && json.additionalProperties === undefined) json.additionalProperties = false;
  return JSON.parse(JSON.stringify(json)) as JsonObject;
}

export interface BuildRegistryInput {
  readonly tenant: TenantConfig;
  /** The tenant's resolved connector instances (baseUrl, OAuth settings). */
  readonly connectors: readonly ConnectorInstanceConfig[];
  readonly modules: ReadonlyMap<ConnectorKind, ConnectorModule> | Readonly<Partial<Record<ConnectorKind, ConnectorModule>>>;
  /** Extra tools for tests and built-ins, registered under their own name. */
  readonly extraTools?: readonly RegisteredTool[];
}

export function buildToolRegistry(input: BuildRegistryInput): ToolRegistry {
  const moduleOf = (kind: ConnectorKind): ConnectorModule | undefined =>
    input.modules instanceof Map ? input.modules.get(kind) : (input.modules as Partial<Record<ConnectorKind, ConnectorModule>>)[kind];
  const tools: RegisteredTool[] = [];
  for (const connector of input.connectors) {
    const module = moduleOf(connector.kind);
    if (!module) continue;
    for (const definition of module.tools(connector)) {
      tools.push({ name: `${connector.id}_${definition.name}`, definition: definition as ToolDefinition<unknown, unknown>, connector });
    }
  }
  for (const custom of input.tenant.customTools) {
    const connector = input.connectors.find((c) => c.id === custom.connector);
    if (!connector) continue;
    tools.push({
      name: `${connector.id}_${custom.name}`,
      definition: customToolDefinition(custom),
      connector,
      jsonSchema: custom.inputSchema,
    });
  }
  tools.push(...(input.extraTools ?? []));
  return new ToolRegistry(tools);
}
