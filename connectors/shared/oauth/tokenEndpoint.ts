import { z } from 'zod';
import { ConnectorTimeoutError } from '../errors.js';
import { parseJsonOrUndefined } from '../http/body.js';
import { timedFetch } from '../http/timedFetch.js';

/** RFC 6749 §5.2: what a token endpoint answers when it refuses a grant. */
export const oauthErrorBodySchema = z.object({ error: z.string(), error_description: z.string().optional() });

const DEFAULT_TIMEOUT_MS = 10_000;

export interface TokenRequest<T> {
  readonly connector: string;
  readonly fetch: typeof fetch;
  readonly url: string;
  /** Sent as `application/x-www-form-urlencoded`, as RFC 6749 requires. */
  readonly form: Readonly<Record<string, string>>;
  /** Client authentication in a header (client_secret_basic), where the vendor wants it. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal | undefined;
  readonly timeoutMs?: number;
  /** The vendor's token response. */
  readonly schema: z.ZodType<T>;
  /** The connector's OAuth error for a refusal; `server_error` when the body was not an OAuth error. */
  readonly refused: (status: number, error: string, description: string | undefined) => Error;
  /** The connector's bad-response error for a 2xx it cannot read. */
  readonly badResponse: (detail: string) => Error;
  readonly onNetworkError?: (cause: unknown) => Error;
}

/** One grant (authorization_code, refresh_token) at a token endpoint, answered as a parsed token response or a typed error. */
export async function requestToken<T>(req: TokenRequest<T>): Promise<T> {
  const timeoutMs = req.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const { response, text } = await timedFetch({
    fetch: req.fetch,
    url: req.url,
    init: {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded', ...(req.headers ?? {}) },
      body: new URLSearchParams({ ...req.form }).toString(),
    },
    timeoutMs,
    signal: req.signal,
    onTimeout: () => new ConnectorTimeoutError(req.connector, timeoutMs),
    ...(req.onNetworkError ? { onNetworkError: req.onNetworkError } : {}),
  });
  const json = parseJsonOrUndefined(text);
  if (!response.ok) {
    const error = oauthErrorBodySchema.safeParse(json);
    throw error.success
      ? req.refused(response.status, error.data.error, error.data.error_description)
      : req.refused(response.status, 'server_error', `token endpoint answered HTTP ${response.status}`);
  }
  const parsed = req.schema.safeParse(json);
  if (!parsed.success) throw req.badResponse(parsed.error.issues[0]?.message ?? 'invalid');
  return parsed.data;
}
