import { createHash } from 'node:crypto';
import type { SandboxResponse } from '../../shared/sandboxServer.js';
import type { ApiCall } from './apiRoutes.js';
import { JqlError, compileJql, parseJql, sortIssues } from './jql.js';
import { errorCollection } from './representation.js';
import type { JiraSandboxState } from './state.js';

type Register = (method: string, path: string, scope: string, handler: (call: ApiCall) => SandboxResponse) => void;

interface SearchInput {
  readonly jql: string;
  readonly fields: string[];
  readonly maxResults?: number;
  readonly nextPageToken?: string;
  readonly properties: string[];
}

const ALLOWED_BODY_KEYS = new Set(['jql', 'fields', 'maxResults', 'nextPageToken', 'expand', 'properties', 'fieldsByKeys', 'reconcileIssues', 'failFast']);

/** `/rest/api/3/search/jql`: bounded JQL only, `id`-only fields by default, `nextPageToken` paging, no `total`. */
export function searchRoutes(api: Register, state: JiraSandboxState): void {
  api('GET', '/search/jql', 'read:jira-work', (call) => {
    const q = call.req.query;
    const list = (name: string): string[] => q.getAll(name).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
    const max = q.get('maxResults');
    const token = q.get('nextPageToken');
    return search(call, state, { jql: q.get('jql') ?? '', fields: list('fields'), properties: list('properties'), ...(max !== null ? { maxResults: Number(max) } : {}), ...(token ? { nextPageToken: token } : {}) });
  });

  api('POST', '/search/jql', 'read:jira-work', (call) => {
    const body = typeof call.req.body === 'object' && call.req.body !== null ? (call.req.body as Record<string, unknown>) : {};
    if (Object.keys(body).some((k) => !ALLOWED_BODY_KEYS.has(k))) return errorCollection(400, ['Invalid request payload. Refer to the REST API documentation and try again.']);
    const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);
    return search(call, state, {
      jql: typeof body['jql'] === 'string' ? body['jql'] : '',
      fields: strings(body['fields']),
      properties: strings(body['properties']),
      ...(typeof body['maxResults'] === 'number' ? { maxResults: body['maxResults'] } : {}),
      ...(typeof body['nextPageToken'] === 'string' ? { nextPageToken: body['nextPageToken'] } : {}),
    });
  });
}

function search(call: ApiCall, state: JiraSandboxState, input: SearchInput): SandboxResponse {
  let predicate: ReturnType<typeof compileJql>;
  let parsed: ReturnType<typeof parseJql>;
  try {
    parsed = parseJql(input.jql);
    if (!parsed.where) return errorCollection(400, ['Unbounded JQL queries are not allowed here. Please add a search restriction to your query.']);
    predicate = compileJql(parsed, state, call.user);
  } catch (error) {
    if (error instanceof JqlError) return errorCollection(400, [error.message]);
    throw error;
  }
  const fields = input.fields.length > 0 ? input.fields : ['id'];
  const idsOnly = fields.every((f) => f === 'id' || f === 'key');
  const cap = idsOnly ? 5000 : 100;
  const maxResults = Math.min(Math.max(1, Number.isFinite(input.maxResults) ? Number(input.maxResults) : 50), cap);
  const fingerprint = createHash('sha256').update(input.jql).digest('base64url').slice(0, 12);
  let offset = 0;
  if (input.nextPageToken) {
    const decoded = decodeToken(input.nextPageToken);
    if (!decoded || decoded.q !== fingerprint) return errorCollection(400, ['The provided next page token is invalid or expired.']);
    offset = decoded.o;
  }
  const visible = state.issues.filter((issue) => state.canBrowse(call.user, issue.projectKey) && predicate(issue));
  const page = sortIssues(visible, parsed.orderBy, state).slice(offset, offset + maxResults);
  const isLast = offset + page.length >= visible.length;
  return {
    status: 200,
    body: {
      issues: page.map((issue) => call.rep.issue(issue, fields.filter((f) => f !== 'id' && f !== 'key'), input.properties)),
      isLast,
      ...(isLast ? {} : { nextPageToken: Buffer.from(JSON.stringify({ o: offset + page.length, q: fingerprint })).toString('base64url') }),
    },
  };
}

function decodeToken(token: string): { o: number; q: string } | undefined {
  try {
    const value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { o?: unknown; q?: unknown };
    return typeof value.o === 'number' && typeof value.q === 'string' ? { o: value.o, q: value.q } : undefined;
  } catch {
    return undefined;
  }
}
