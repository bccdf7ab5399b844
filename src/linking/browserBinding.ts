import { createHash, randomBytes } from 'node:crypto';

/**
 * The secret that ties a link to the browser that opened it: a random verifier kept only in that
 * browser's HttpOnly cookie, and its hash stored with the OAuth state.
 */
export interface BrowserBinding {
  readonly verifier: string;
  readonly hash: string;
}

export function newBrowserBinding(): BrowserBinding {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, hash: hashVerifier(verifier) };
}

export function hashVerifier(verifier: string): string {
  return createHash('sha256').update(verifier).digest('hex');
}

/** One cookie per link, so two links finished side by side in one browser do not overwrite each other. */
export function linkCookieName(state: string): string {
  return `sb_link_${createHash('sha256').update(state).digest('hex').slice(0, 16)}`;
}

/** The path prefix of PUBLIC_URL (a reverse proxy may mount us under one); '' at the root. */
export function basePathOf(publicUrl: string): string {
  return new URL(publicUrl).pathname.replace(/\/+$/, '');
}

/** Sent only to our callback path; Lax lets the provider's top-level redirect back carry it. */
export function linkCookie(input: { state: string; verifier: string; maxAgeSeconds: number; secure: boolean; basePath?: string }): string {
  return [
    `${linkCookieName(input.state)}=${input.verifier}`,
    `Path=${input.basePath ?? ''}/oauth/callback/`,
    `Max-Age=${Math.max(1, Math.floor(input.maxAgeSeconds))}`,
    'HttpOnly',
    'SameSite=Lax',
    ...(input.secure ? ['Secure'] : []),
  ].join('; ');
}

export function clearedLinkCookie(state: string, secure: boolean, basePath = ''): string {
  return `${linkCookieName(state)}=; Path=${basePath}/oauth/callback/; Max-Age=0; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;
}

/** The verifier for `state` from a Cookie header, if this browser holds one. */
export function linkVerifierFrom(cookieHeader: string | undefined, state: string): string | undefined {
  if (!cookieHeader) return undefined;
  const name = linkCookieName(state);
  for (const part of cookieHeader.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      const value = part.slice(eq + 1).trim();
      return /^[A-Za-z0-9_-]{20,100}$/.test(value) ? value : undefined;
    }
  }
  return undefined;
}
