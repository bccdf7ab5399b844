import type { SandboxRequest, SandboxResponse } from '../../shared/sandboxServer.js';
import { Acl } from './acl.js';
import { errors } from './responses.js';
import type { Row, ServiceNowSandboxState } from './state.js';

export interface SandboxContext {
  readonly state: ServiceNowSandboxState;
  readonly base: () => string;
  readonly now: () => Date;
  readonly newId: () => string;
  readonly newSecret: () => string;
  readonly tokenTtlSeconds: number;
  readonly clientId: string;
  readonly clientSecret?: string;
  /** An admin-defined `sys_rate_limit_rules` record; without one ServiceNow sends no rate headers. */
  readonly rateLimit?: { readonly perHour: number; readonly ruleId: string };
  /** Retry-After on injected 429 bursts (seconds). */
  readonly burstRetryAfterSeconds: number;
}

export interface Caller {
  readonly user: Row;
  readonly userId: string;
  readonly acl: Acl;
}

export type ApiHandler = (req: SandboxRequest, caller: Caller) => SandboxResponse | Promise<SandboxResponse>;

/**
 * What every REST call passes before its handler: Bearer authentication, header checks, the
 * hourly rate-limit rule and the lost-response fault (the write is applied, the answer is not sent).
 */
export function api(ctx: SandboxContext, handler: ApiHandler): (req: SandboxRequest) => Promise<SandboxResponse> {
  return async (req) => {
    const token = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const record = token ? ctx.state.accessTokens.get(token) : undefined;
    const user = record && record.expiresAt > ctx.now().getTime() ? ctx.state.get('sys_user', record.userId) : undefined;
    if (!record || !user || user['active'] !== 'true') return errors.unauthenticated();
    const accept = req.headers.accept;
    if (accept && !/json|\*\/\*/.test(accept)) return errors.notAcceptable();
    if (req.rawBody && !(req.headers['content-type'] ?? '').includes('application/json')) return errors.unsupportedMediaType();
    const limited = rateLimit(ctx, record.userId);
    if (limited.denied) return limited.denied;
    const response = await handler(req, { user, userId: record.userId, acl: new Acl(ctx.state, record.userId) });
    const lost = ctx.state.lostResponses;
    if (lost.count > 0 && (!lost.method || lost.method === req.method) && (!lost.pathPrefix || req.path.startsWith(lost.pathPrefix))) {
      lost.count -= 1;
      return errors.badGateway();
    }
    return { ...response, headers: { ...limited.headers, ...(response.headers ?? {}) } };
  };
}

export function rateHeaders(ctx: SandboxContext, perHour: number, ruleId: string): Record<string, string> {
  const reset = Math.ceil(ctx.now().getTime() / 3_600_000) * 3600;
  return { 'x-ratelimit-limit': String(perHour), 'x-ratelimit-reset': String(reset), 'x-ratelimit-rule': ruleId };
}

function rateLimit(ctx: SandboxContext, userId: string): { headers: Record<string, string>; denied?: SandboxResponse } {
  if (!ctx.rateLimit) return { headers: {} };
  const { perHour, ruleId } = ctx.rateLimit;
  const window = Math.floor(ctx.now().getTime() / 3_600_000);
  const entry = ctx.state.hourlyCalls.get(userId);
  const counter = entry && entry.window === window ? entry : { window, count: 0 };
  counter.count += 1;
  ctx.state.hourlyCalls.set(userId, counter);
  const headers = rateHeaders(ctx, perHour, ruleId);
  if (counter.count <= perHour) return { headers };
  const retryAfter = Math.max(1, Number(headers['x-ratelimit-reset']) - Math.floor(ctx.now().getTime() / 1000));
  return { headers, denied: errors.rateLimited(perHour, { ...headers, 'retry-after': String(retryAfter) }) };
}
