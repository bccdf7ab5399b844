import { z } from 'zod';
import type { TenantConfig } from '../config/tenantConfig.js';
import { SwitchboardError } from '../core/errors.js';
import { defineTool, type ToolDefinition } from './tool.js';

type CustomToolConfig = TenantConfig['customTools'][number];

class CustomToolHttpError extends SwitchboardError {
  constructor(tool: string, status: number) {
    super(status >= 500 ? 'connector_unavailable' : 'connector_error', `custom tool ${tool} answered HTTP ${status}`, {
      userMessage: status === 403 || status === 401 ? `The system refused ${tool} for your account.` : `${tool} failed (HTTP ${status}).`,
      retryable: status >= 500 || status === 429,
    });
  }
}

/**
 * A tenant-defined tool: one HTTP call to its connector's API as the employee. `{name}` path segments
 * are filled from the arguments; the rest go in the query (GET/DELETE) or the JSON body.
 */
export function customToolDefinition(config: CustomToolConfig): ToolDefinition<unknown, unknown> {
  const tool = defineTool<Record<string, unknown>, unknown>({
    name: config.name,
    description: config.description,
    // jsonschema validates against the tenant's schema in the pipeline; zod only insists on an object here.
    input: z.record(z.string(), z.unknown()),
    output: z.unknown(),
    risk: config.risk,
    idempotent: config.method === 'GET',
    scopes: [],
    describe: (args) => `${config.description} (${config.method} ${fillPath(config.path, args).path})`,
    async execute(ctx, args) {
      const base = ctx.connector?.baseUrl;
      if (!base) throw new SwitchboardError('config_invalid', `custom tool ${config.name} has no connector`);
      const credential = await ctx.credentials.forUser();
      const { path, rest } = fillPath(config.path, args);
      const url = new URL(path, base.endsWith('/') ? base : `${base}/`);
      if (path.startsWith('/')) url.pathname = new URL(base).pathname.replace(/\/$/, '') + path;
      const hasBody = config.method !== 'GET' && config.method !== 'DELETE';
      if (!hasBody) for (const [k, v] of Object.entries(rest)) url.searchParams.set(k, typeof v === 'string' ? v : JSON.stringify(v));
      const response = await fetch(url, {
        method: config.method,
        headers: {
          authorization: `Bearer ${credential.accessToken}`,
          accept: 'application/json',
          'idempotency-key': ctx.idempotencyKey,
          ...(hasBody ? { 'content-type': 'application/json' } : {}),
        },
        ...(hasBody ? { body: JSON.stringify(rest) } : {}),
        signal: ctx.signal,
      });
      if (!response.ok) throw new CustomToolHttpError(config.name, response.status);
      const text = await response.text();
      if (!text) return null;
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return text.slice(0, 4000);
      }
    },
  });
  return tool as ToolDefinition<unknown, unknown>;
}

function fillPath(template: string, args: Record<string, unknown>): { path: string; rest: Record<string, unknown> } {
  const rest = { ...args };
  const path = template.replace(/\{(\w+)\}/g, (_m, key: string) => {
    const value = rest[key];
    delete rest[key];
    return encodeURIComponent(value === undefined ? '' : String(value));
  });
  return { path, rest };
}
