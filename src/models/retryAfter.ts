/**
 * Reads how long a provider asked us to wait: OpenAI's `retry-after-ms`, else the standard
 * `Retry-After` (delta seconds or an HTTP date). Undefined when absent or unparseable.
 */
export function retryAfterMs(headers: { get(name: string): string | null } | undefined, now: () => number = Date.now): number | undefined {
  if (!headers) return undefined;
  const ms = headers.get('retry-after-ms');
  if (ms !== null && /^\d+(\.\d+)?$/.test(ms.trim())) return Math.ceil(Number(ms));
  const value = headers.get('retry-after');
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.ceil(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now());
}
