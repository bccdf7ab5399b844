export type QueryParams = Readonly<Record<string, string | number | boolean | undefined>>;

/** Sets the defined query parameters on `url`. */
export function withQuery(url: URL, query: QueryParams | undefined): URL {
  for (const [key, value] of Object.entries(query ?? {})) if (value !== undefined) url.searchParams.set(key, String(value));
  return url;
}

/**
 * A path, or a full URL from a `Link` header, resolved on the vendor's host. A link to any other
 * origin is refused, so the bearer token never travels there.
 */
export function urlOnOrigin(baseUrl: string, path: string, query: QueryParams | undefined, onForeign: (origin: string) => Error): URL {
  const base = new URL(baseUrl);
  const url = new URL(path, base);
  if (url.origin !== base.origin) throw onForeign(url.origin);
  return withQuery(url, query);
}
