import type { SandboxResponse } from '../../shared/sandboxServer.js';

/** ServiceNow's error body: `{"error":{"message","detail"},"status":"failure"}`. */
export function snError(status: number, message: string, detail: string | null = null, headers: Record<string, string> = {}): SandboxResponse {
  return { status, headers, body: { error: { message, detail }, status: 'failure' } };
}

export const errors = {
  unauthenticated: () => snError(401, 'User Not Authenticated', 'Required to provide Auth information'),
  notFound: () => snError(404, 'No Record found', "Record doesn't exist or ACL restricts the record retrieval"),
  invalidTable: (table: string) => snError(400, `Invalid table ${table}`, null),
  aclUpdate: () => snError(403, 'Operation Failed', 'ACL Exception Update Failed due to security constraints'),
  aclInsert: () => snError(403, 'Operation Failed', 'ACL Exception Insert Failed due to security constraints'),
  dataPolicy: (labels: readonly string[]) => snError(403, 'Operation Failed', `Data Policy Exception: \n\tThe following fields are mandatory: ${labels.join(', ')}\n`),
  badRequest: (message: string, detail: string | null = null) => snError(400, message, detail),
  unsupportedMediaType: () => snError(415, 'Unsupported Media Type', 'Content-Type must be application/json'),
  notAcceptable: () => snError(406, 'Not Acceptable', 'Requested response format is not supported'),
  serverError: () => snError(500, 'Internal Server Error', 'The server encountered an unexpected condition'),
  badGateway: () => snError(502, 'Bad Gateway', 'The upstream connection was reset'),
  rateLimited: (limitPerHour: number, headers: Record<string, string>) =>
    snError(429, 'Rate limit exceeded', `Rate limit of ${limitPerHour} requests per hour for Table API exceeded`, headers),
};
