import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const CSRF_HEADER = 'x-csrf-token';

/**
 * True when the request's Origin (or, without one, its Referer) is this service: PUBLIC_URL's origin
 * or the origin the browser addressed (Host). A browser always sends Origin on a cross-site POST, so
 * a missing one means a same-origin request or a non-browser client.
 */
export function sameOrigin(req: IncomingMessage, publicUrl: string): boolean {
  const claimed = headerOf(req, 'origin') ?? originOfUrl(headerOf(req, 'referer'));
  if (claimed === undefined) return true;
  if (claimed === 'null') return false;
  const allowed = new Set([originOfUrl(publicUrl)]);
  const host = headerOf(req, 'host');
  if (host) allowed.add(originOfUrl(`${isTls(req) ? 'https' : 'http'}://${host}`));
  return allowed.has(claimed);
}

/**
 * Why a state-changing request from a signed-in browser must be refused (403), or null when it may
 * go on: the Origin is foreign, or the double-submit token does not match the session's.
 */
export function csrfRefusal(req: IncomingMessage, session: object, publicUrl: string): string | null {
  if (!sameOrigin(req, publicUrl)) return 'The request came from another site.';
  const given = headerOf(req, CSRF_HEADER);
  // Typed loosely so any session shape can be passed; one without a token is always refused.
  const expected = 'csrfToken' in session && typeof session.csrfToken === 'string' ? session.csrfToken : undefined;
  if (!given || !expected || !tokensEqual(given, expected)) return 'The request is missing its security token; reload the page and try again.';
  return null;
}

function tokensEqual(a: string, b: string): boolean {
  const digest = (s: string): Buffer => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}

function headerOf(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function originOfUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).origin;
  } catch {
    return 'null';
  }
}

function isTls(req: IncomingMessage): boolean {
  return 'encrypted' in req.socket && Boolean((req.socket as { encrypted?: boolean }).encrypted);
}
