import { z } from 'zod';
import type { ConnectorInstanceConfig } from '../../../src/tools/connector.js';
import type { ToolContext } from '../../../src/tools/tool.js';
import { OktaClient } from '../client.js';
import { quoteData } from '../../shared/summary.js';
import { OktaIdentityError } from '../errors.js';
import { oktaUserSchema, type OktaUser } from '../schemas.js';

/** What every Okta tool needs besides its ToolContext; `fetch` lets a benchmark count calls. */
export interface OktaToolDeps {
  readonly config: ConnectorInstanceConfig;
  readonly fetch?: typeof fetch;
}

const optionsSchema = z.object({
  timeoutMs: z.coerce.number().int().positive().optional(),
  maxAttempts: z.coerce.number().int().min(1).max(10).optional(),
  maxRateLimitWaitMs: z.coerce.number().int().nonnegative().optional(),
  serviceAuthScheme: z.enum(['SSWS', 'Bearer']).optional(),
});

export function clientFor(ctx: ToolContext, deps: OktaToolDeps): OktaClient {
  const config = ctx.connector ?? deps.config;
  const options = optionsSchema.parse(config.options);
  return new OktaClient({
    baseUrl: config.baseUrl,
    credentials: ctx.credentials,
    logger: ctx.logger,
    signal: ctx.signal,
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
    ...(options.maxRateLimitWaitMs === undefined ? {} : { maxRateLimitWaitMs: options.maxRateLimitWaitMs }),
    ...(options.serviceAuthScheme ? { serviceAuthScheme: options.serviceAuthScheme } : {}),
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
  });
}

/**
 * The requester's own Okta user id, taken from their linked account and never from tool arguments:
 * service-path actions can only ever land on the person who asked.
 */
export async function requesterOktaId(ctx: ToolContext, client: OktaClient): Promise<string> {
  const linked = await ctx.credentials.forUser();
  if (linked.externalUserId) return linked.externalUserId;
  const me = await client.request({ method: 'GET', path: '/api/v1/users/me', auth: 'user', schema: oktaUserSchema });
  if (!me.data.id) throw new OktaIdentityError('linked Okta account has no user id');
  return me.data.id;
}

/** Reads the requester through the service credential (works even when their own session is locked out). */
export async function readRequester(client: OktaClient, userId: string): Promise<OktaUser> {
  const user = await client.request({ method: 'GET', path: `/api/v1/users/${encodeURIComponent(userId)}`, auth: 'service', schema: oktaUserSchema });
  return user.data;
}

export const userRefSchema = z.object({
  userId: z.string(),
  login: z.string(),
  status: z.string(),
});

export const noArgsSchema = z.object({}).strict();

/** Okta's user statuses in the employee's words ("locked out"), for summary sentences. */
const STATUS_WORDS: Readonly<Record<string, string>> = {
  ACTIVE: 'active',
  LOCKED_OUT: 'locked out',
  PASSWORD_EXPIRED: 'active, but its password has expired',
  RECOVERY: 'waiting for a password reset',
  SUSPENDED: 'suspended',
  STAGED: 'not activated yet',
  PROVISIONED: 'waiting for you to activate it',
  DEPROVISIONED: 'deactivated',
};

export function statusInWords(status: string): string {
  return (Object.hasOwn(STATUS_WORDS, status) ? STATUS_WORDS[status] : undefined) ?? `in status ${quoteData(status, 30)}`;
}
