/** A request target the router can trust: a decodable path and a query without NUL bytes. */
export interface RequestTarget {
  /** Still percent-encoded, as routes match it; every escape in it is known to decode. */
  readonly pathname: string;
  readonly search: string;
}

/**
 * Parses `req.url` without throwing. Origin-form targets ("/a/b?c") are read relative to a fixed
 * base, so "//" or "//evil.example/x" stay paths instead of becoming hosts; absolute-form targets
 * are accepted as proxies send them. Anything that does not parse, a path whose percent-escapes do
 * not decode (e.g. "%E0%A4%A"), or a NUL byte anywhere (no route needs one, and PostgreSQL refuses
 * it) is undefined: the caller answers 400.
 */
export function parseRequestTarget(raw: string | undefined): RequestTarget | undefined {
  const target = raw ?? '/';
  if (target.length === 0 || /%00/i.test(target) || target.includes('\0')) return undefined;
  let url: URL;
  try {
    url = target.startsWith('/') ? new URL(`http://localhost${target}`) : new URL(target);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  try {
    decodeURIComponent(url.pathname);
  } catch {
    return undefined;
  }
  return { pathname: url.pathname, search: url.search };
}
