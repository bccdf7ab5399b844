import type { z } from 'zod';

/** JSON text to a value; empty or malformed text (an HTML error page from a proxy) gives undefined. */
export function parseJsonOrUndefined(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * A 2xx body checked against the schema the vendor documents. `what` names the call
 * (`GET /api/v1/users/me`); `fail` wraps the problem in the connector's own bad-response error.
 */
export function parseJsonBody<T>(text: string, schema: z.ZodType<T>, what: string, fail: (detail: string) => Error): T {
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    throw fail(`${what} answered with non-JSON`);
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')} ` : '';
  throw fail(`${what}: ${issue ? `${where}${issue.message}` : 'invalid body'}`);
}
