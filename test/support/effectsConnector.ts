import { z } from 'zod';
import { SwitchboardError } from '../../src/core/errors.js';
import type { ConnectorInstanceConfig, ConnectorModule } from '../../src/tools/connector.js';
import { defineTool, type ToolContext, type ToolDefinition } from '../../src/tools/tool.js';

/**
 * Test tools whose side effects land on the effects server. Registered as a connector module (kind
 * "servicenow" only because the kind list is closed; the instance id is "effects"), so the real
 * credential path (linked account or AccountNotLinkedError) applies.
 */
const effectOutput = z.object({ key: z.string(), label: z.string(), applied: z.number() });

async function call(ctx: ToolContext, method: string, path: string, payload?: unknown): Promise<Response> {
  await ctx.credentials.forUser();
  const base = ctx.connector?.baseUrl ?? '';
  return fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(payload === undefined ? {} : { body: JSON.stringify(payload) }),
    signal: ctx.signal,
  });
}

function failed(status: number): SwitchboardError {
  return new SwitchboardError('connector_error', `effects server answered ${status}`, { userMessage: 'The test system failed.', retryable: status >= 500 });
}

const readBack = async (ctx: ToolContext) => {
  const response = await call(ctx, 'GET', `/effects/${ctx.idempotencyKey}`);
  if (response.status === 404) return { status: 'not_applied' as const };
  if (!response.ok) return { status: 'unknown' as const };
  return { status: 'applied' as const, output: effectOutput.parse(await response.json()) };
};

export function effectsTools(): ToolDefinition[] {
  const echo = defineTool({
    name: 'echo',
    description: 'Returns the text it was given.',
    input: z.object({ text: z.string() }),
    output: z.object({ text: z.string() }),
    risk: 'read',
    idempotent: true,
    scopes: [],
    execute: async (_ctx, args) => ({ text: args.text }),
  });
  const record = defineTool({
    name: 'record_effect',
    description: 'Records a non-idempotent effect.',
    input: z.object({ label: z.string() }),
    output: effectOutput,
    risk: 'write',
    idempotent: false,
    scopes: [],
    describe: (args) => `Record the effect "${args.label}"`,
    execute: async (ctx, args) => {
      const response = await call(ctx, 'POST', '/effects', { key: ctx.idempotencyKey, label: args.label });
      if (!response.ok) throw failed(response.status);
      return effectOutput.parse(await response.json());
    },
    reconcile: readBack,
  });
  const put = defineTool({
    name: 'put_effect',
    description: 'Applies an idempotent effect.',
    input: z.object({ label: z.string() }),
    output: effectOutput,
    risk: 'write',
    idempotent: true,
    scopes: [],
    execute: async (ctx, args) => {
      const response = await call(ctx, 'PUT', `/effects/${ctx.idempotencyKey}`, { label: args.label });
      if (!response.ok) throw failed(response.status);
      return effectOutput.parse(await response.json());
    },
  });
  const grant = defineTool({
    name: 'grant_access',
    description: 'Grants access (high risk, non-idempotent).',
    input: z.object({ group: z.string() }),
    output: effectOutput,
    risk: 'high',
    idempotent: false,
    scopes: [],
    describe: (args) => `Add you to the group "${args.group}"`,
    execute: async (ctx, args) => {
      const response = await call(ctx, 'POST', '/effects', { key: ctx.idempotencyKey, label: `grant:${args.group}` });
      if (!response.ok) throw failed(response.status);
      return effectOutput.parse(await response.json());
    },
    reconcile: readBack,
  });
  const sleep = defineTool({
    name: 'sleep',
    description: 'Waits, honouring cancellation.',
    input: z.object({ ms: z.number().int().nonnegative() }),
    output: z.object({ slept: z.number() }),
    risk: 'read',
    idempotent: true,
    scopes: [],
    execute: (ctx, args) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => resolve({ slept: args.ms }), args.ms);
        ctx.signal.addEventListener('abort', () => {
          clearTimeout(timer);
          reject(new SwitchboardError('cancelled', 'sleep cancelled', { userMessage: 'Cancelled.' }));
        });
      }),
  });
  return [echo, record, put, grant, sleep] as ToolDefinition[];
}

export const effectsConnectorModule: ConnectorModule = {
  kind: 'servicenow',
  displayName: 'Effects',
  oauth: {
    authorizationUrl: () => 'http://127.0.0.1/unused',
    exchangeCode: () => Promise.reject(new Error('not used in engine tests')),
    refresh: () => Promise.reject(new Error('not used in engine tests')),
  },
  tools: () => effectsTools(),
};

export function effectsConnectorConfig(effectsUrl: string): ConnectorInstanceConfig {
  return {
    id: 'effects',
    kind: 'servicenow',
    displayName: 'Effects',
    baseUrl: effectsUrl,
    oauth: { clientId: 'test', clientSecret: 'test', scopes: [], redirectUri: 'http://127.0.0.1/oauth/callback/effects' },
    options: {},
  };
}
