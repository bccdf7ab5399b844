import { z } from 'zod';
import type { ConnectorInstanceConfig } from '../../../src/tools/connector.js';
import type { ToolContext } from '../../../src/tools/tool.js';
import { ServiceNowClient } from '../client.js';
import { ServiceNowResponseError } from '../errors.js';
import { resultList, sysUserRecordSchema } from '../schemas.js';

/** What every ServiceNow tool needs besides its ToolContext; `fetch` lets a benchmark count calls. */
export interface ServiceNowToolDeps {
  readonly config: ConnectorInstanceConfig;
  readonly fetch?: typeof fetch;
}

/** Tuning knobs a tenant may set in the connector's `options` (all strings in config). */
const optionsSchema = z.object({
  timeoutMs: z.coerce.number().int().positive().optional(),
  maxAttempts: z.coerce.number().int().min(1).max(10).optional(),
  maxRateLimitWaitMs: z.coerce.number().int().nonnegative().optional(),
  retryBaseMs: z.coerce.number().int().nonnegative().optional(),
});

export function clientFor(ctx: ToolContext, deps: ServiceNowToolDeps): ServiceNowClient {
  const config = ctx.connector ?? deps.config;
  const options = optionsSchema.parse(config.options);
  return new ServiceNowClient({
    baseUrl: config.baseUrl,
    credentials: ctx.credentials,
    logger: ctx.logger,
    signal: ctx.signal,
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
    ...(options.maxRateLimitWaitMs === undefined ? {} : { maxRateLimitWaitMs: options.maxRateLimitWaitMs }),
    ...(options.retryBaseMs === undefined ? {} : { retryBaseMs: options.retryBaseMs }),
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
  });
}

export interface Requester {
  readonly sysId: string;
  readonly userName: string;
}

/**
 * The requester's own sys_user, from their linked account (or the token itself), never from tool
 * arguments: a record is always opened for the person who asked.
 */
export async function requester(ctx: ToolContext, client: ServiceNowClient): Promise<Requester> {
  const linked = await ctx.credentials.forUser();
  const userName = linked.metadata['user_name'];
  if (linked.externalUserId && userName) return { sysId: linked.externalUserId, userName };
  const me = await client.request({
    method: 'GET',
    path: '/api/now/table/sys_user',
    query: { sysparm_query: 'sys_id=javascript:gs.getUserID()', sysparm_fields: 'sys_id,user_name,name,email', sysparm_limit: 1 },
    schema: resultList(sysUserRecordSchema),
  });
  const user = me.data.result[0];
  if (!user) throw new ServiceNowResponseError('sys_user lookup', 'the signed-in user was not returned');
  return { sysId: user.sys_id, userName: user.user_name };
}

/**
 * The marker a Switchboard write leaves in a journal field, derived from the runtime's idempotency
 * key. It is what reconcile and pre-retry read-backs search for, since ServiceNow has no
 * idempotency header.
 */
export function journalRef(idempotencyKey: string): string {
  return `sb-${idempotencyKey.replace(/[^A-Za-z0-9]/g, '').slice(0, 20)}`;
}

export function withRef(text: string, ref: string): string {
  return `${text}\n\n(sent via Switchboard, ref ${ref})`;
}

/** The comment as the employee wrote it, without the marker `withRef` appended. */
export function withoutRef(text: string): string {
  return text.replace(/\s*\(sent via Switchboard, ref [^)]*\)\s*$/, '');
}

/** Encoded-query values cannot carry `^` (the AND operator); such input is refused up front. */
export const encodedQuerySafe = (value: string): boolean => !value.includes('^');

export function recordLink(baseUrl: string, table: string, sysId: string): string {
  return new URL(`/nav_to.do?uri=${encodeURIComponent(`${table}.do?sys_id=${sysId}`)}`, baseUrl).toString();
}
