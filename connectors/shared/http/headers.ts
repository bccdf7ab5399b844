/** Readers for the response headers vendors use for paging and rate limits. */

/** A numeric header, or undefined when absent or not a number. */
export function headerNumber(headers: Headers, name: string): number | undefined {
  const raw = headers.get(name);
  const value = raw === null ? Number.NaN : Number(raw);
  return Number.isFinite(value) ? value : undefined;
}

/** The target of `rel` in an RFC 8288 `Link` header: `<url>; rel="next", <url>; rel="last"`. */
export function linkTarget(header: string | null, rel: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(/,(?=\s*<)/)) {
    const match = /<([^>]+)>\s*;(.*)/.exec(part.trim());
    if (match?.[1] && new RegExp(`rel="?${rel}"?`).test(match[2] ?? '')) return match[1];
  }
  return undefined;
}
