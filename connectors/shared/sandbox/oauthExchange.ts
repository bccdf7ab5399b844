import type { SandboxRequest, SandboxResponse } from '../sandboxServer.js';

/** The string fields of a form (or JSON) token request; anything else is ignored as a server would. */
export function formOf(req: SandboxRequest): Record<string, string> {
  const body = req.body;
  if (!body || typeof body !== 'object') return {};
  return Object.fromEntries(Object.entries(body as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/** RFC 6749 §5.2 error body; the status and any cache headers are the vendor's choice. */
export function oauthErrorResponse(status: number, error: string, description: string, headers?: Record<string, string>): SandboxResponse {
  return { status, ...(headers ? { headers } : {}), body: { error, error_description: description } };
}

/** The authorize endpoint's answer: a 302 back to `redirect_uri` with `params` and the caller's `state`. */
export function redirectBack(redirectUri: string, params: Record<string, string>, state: string | null): SandboxResponse {
  const url = new URL(redirectUri);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  if (state !== null) url.searchParams.set('state', state);
  return { status: 302, headers: { location: url.toString() }, text: '' };
}
