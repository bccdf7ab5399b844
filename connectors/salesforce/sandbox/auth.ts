import type { SandboxHandler, SandboxRequest, SandboxResponse } from '../../shared/sandboxServer.js';
import { sfError, type SandboxContext } from './context.js';
import type { SandboxUser } from './state.js';

export type AuthedHandler = (req: SandboxRequest, user: SandboxUser) => SandboxResponse | Promise<SandboxResponse>;

/**
 * Bearer session check plus the org's daily API allowance, as every REST resource applies them:
 * 401 INVALID_SESSION_ID for a missing, unknown or expired session; 403 REQUEST_LIMIT_EXCEEDED once
 * the allowance is spent.
 */
export function authed(ctx: SandboxContext, handler: AuthedHandler): SandboxHandler {
  return (req) => {
    const user = sessionUser(ctx, req);
    if (!user) {
      const response = sfError(ctx.state, 401, 'INVALID_SESSION_ID', 'Session expired or invalid');
      return { ...response, headers: { ...response.headers, 'WWW-Authenticate': 'Token' } };
    }
    ctx.state.apiUsage += 1;
    if (ctx.state.apiUsage > ctx.state.dailyApiLimit) {
      return sfError(ctx.state, 403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');
    }
    return handler(req, user);
  };
}

export function sessionUser(ctx: SandboxContext, req: SandboxRequest): SandboxUser | undefined {
  const header = req.headers.authorization ?? '';
  const match = /^(?:Bearer|OAuth) (\S+)$/i.exec(header);
  const record = match?.[1] ? ctx.state.accessTokens.get(match[1]) : undefined;
  if (!record || record.expiresAt <= ctx.state.now()) return undefined;
  return ctx.state.userById(record.userId);
}

