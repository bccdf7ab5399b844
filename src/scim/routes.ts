import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { TenantConfig } from '../config/tenantConfig.js';
import type { Logger } from '../core/logger.js';
import { PayloadTooLargeError, readBody, type HttpApp } from '../http/httpApp.js';
import { resourceTypes, schemas, serviceProviderConfig } from './discovery.js';
import { parseEqFilter } from './filter.js';
import { patchRequestSchema } from './patch.js';
import { listResponse, pageOf, ScimError } from './protocol.js';
import { GROUP_FILTERS, ScimGroups } from './scimGroups.js';
import { ScimUsers, USER_FILTERS } from './scimUsers.js';
import type { ScimTokens } from './tokens.js';

/** A group PUT from Okta carries every member: 15,000 members fit in well under 2 MB. */
export const SCIM_BODY_LIMIT = 2 * 1024 * 1024;
export const SCIM_BASE_PATH = '/scim/v2';

export interface ScimDeps {
  readonly prisma: PrismaClient;
  readonly tenants: (id: string) => TenantConfig | undefined;
  readonly tokens: ScimTokens;
  readonly publicUrl: string;
  readonly logger: Logger;
}

/**
 * The SCIM 2.0 service provider (RFC 7644) at /scim/v2. The bearer token names the tenant, so one
 * URL serves every tenant and a token can only ever see its own tenant's people and groups. Requests
 * with a body are refused on their headers alone when the token is wrong (nothing is buffered).
 */
export function mountScimRoutes(http: HttpApp, deps: ScimDeps): void {
  const handler = (req: IncomingMessage, res: ServerResponse) => handle(deps, req, res);
  const options = { bodyLimit: SCIM_BODY_LIMIT, precheck: (req: IncomingMessage) => (deps.tokens.tenantOf(req.headers.authorization) ? undefined : 401) };
  http.route('GET', `${SCIM_BASE_PATH}*`, handler);
  http.route('DELETE', `${SCIM_BASE_PATH}*`, handler);
  for (const method of ['POST', 'PUT', 'PATCH']) http.route(method, `${SCIM_BASE_PATH}*`, handler, options);
}

function send(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  if (body === undefined) {
    res.writeHead(status, headers);
    res.end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/scim+json; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

async function handle(deps: ScimDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const tenantId = deps.tokens.tenantOf(req.headers.authorization);
    const tenant = tenantId ? deps.tenants(tenantId) : undefined;
    if (!tenant) {
      send(res, 401, new ScimError(401, 'A valid bearer token is required.').body(), { 'www-authenticate': 'Bearer realm="scim"' });
      return;
    }
    const url = new URL(req.url ?? '/', 'http://scim.invalid');
    const segments = url.pathname.slice(SCIM_BASE_PATH.length).split('/').filter(Boolean).map((s) => decodeURIComponent(s));
    const baseUrl = `${deps.publicUrl}${SCIM_BASE_PATH}`;
    const method = (req.method ?? 'GET').toUpperCase();
    const [collection, id, extra] = segments;
    if (extra !== undefined) throw new ScimError(404, 'Not found.');
    const result = await dispatch({ deps, tenant, baseUrl, method, collection: collection ?? '', id, query: url.searchParams, body: () => jsonBody(req) });
    send(res, result.status, result.body, result.location ? { location: result.location } : {});
  } catch (error) {
    if (error instanceof ScimError) return send(res, error.status, error.body());
    if (isUniqueViolation(error)) return send(res, 409, new ScimError(409, 'That resource already exists.', 'uniqueness').body());
    deps.logger.error({ err: error }, 'scim request failed');
    send(res, 500, new ScimError(500, 'Something went wrong on our side.').body());
  }
}

interface Request {
  readonly deps: ScimDeps;
  readonly tenant: TenantConfig;
  readonly baseUrl: string;
  readonly method: string;
  readonly collection: string;
  readonly id: string | undefined;
  readonly query: URLSearchParams;
  body(): Promise<unknown>;
}

interface Result {
  readonly status: number;
  readonly body?: unknown;
  readonly location?: string;
}

async function dispatch(r: Request): Promise<Result> {
  const collection = r.collection.toLowerCase();
  if (collection === 'serviceproviderconfig' && !r.id) return only(r, 'GET', () => serviceProviderConfig(r.baseUrl));
  if (collection === 'resourcetypes') return only(r, 'GET', () => discovery(resourceTypes(r.baseUrl), r.id, 'ResourceType'));
  if (collection === 'schemas') return only(r, 'GET', () => discovery(schemas(r.baseUrl), r.id, 'Schema'));
  if (collection === 'users') return users(r, new ScimUsers(r.deps.prisma, r.tenant, r.baseUrl, r.deps.logger));
  if (collection === 'groups') return groups(r, new ScimGroups(r.deps.prisma, r.tenant, r.baseUrl));
  if (collection === 'bulk' || collection === 'me') throw new ScimError(501, `/${r.collection} is not supported.`);
  throw new ScimError(404, 'Not found.');
}

async function only(r: Request, method: string, body: () => unknown): Promise<Result> {
  if (r.method !== method) throw new ScimError(405, `${r.method} is not allowed here.`);
  return { status: 200, body: body() };
}

function discovery(items: readonly Record<string, unknown>[], id: string | undefined, what: string): unknown {
  if (!id) return { schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: items.length, startIndex: 1, itemsPerPage: items.length, Resources: items };
  const item = items.find((i) => String(i.id).toLowerCase() === id.toLowerCase());
  if (!item) throw new ScimError(404, `${what} ${id.slice(0, 100)} not found.`);
  return item;
}

async function users(r: Request, store: ScimUsers): Promise<Result> {
  if (!r.id) {
    if (r.method === 'GET') {
      const filter = r.query.get('filter');
      const page = pageOf(r.query);
      const { total, resources } = await store.list(filter ? parseEqFilter(filter, USER_FILTERS) : undefined, page);
      return { status: 200, body: listResponse(total, page, resources) };
    }
    if (r.method === 'POST') {
      const created = await store.create(await r.body());
      return { status: 201, body: created, location: `${r.baseUrl}/Users/${String(created.id)}` };
    }
    throw new ScimError(405, `${r.method} is not allowed on /Users.`);
  }
  switch (r.method) {
    case 'GET': return { status: 200, body: await store.get(r.id) };
    case 'PUT': return { status: 200, body: await store.replace(r.id, await r.body()) };
    case 'PATCH': return { status: 200, body: await store.patch(r.id, patchOperations(await r.body())) };
    case 'DELETE': await store.remove(r.id); return { status: 204 };
    default: throw new ScimError(405, `${r.method} is not allowed on a user.`);
  }
}

async function groups(r: Request, store: ScimGroups): Promise<Result> {
  // Entra asks for groups without their (possibly huge) member lists.
  const withMembers = !(r.query.get('excludedAttributes') ?? '').toLowerCase().split(',').map((s) => s.trim()).includes('members');
  if (!r.id) {
    if (r.method === 'GET') {
      const filter = r.query.get('filter');
      const page = pageOf(r.query);
      const { total, resources } = await store.list(filter ? parseEqFilter(filter, GROUP_FILTERS) : undefined, page, withMembers);
      return { status: 200, body: listResponse(total, page, resources) };
    }
    if (r.method === 'POST') {
      const created = await store.create(await r.body());
      return { status: 201, body: created, location: `${r.baseUrl}/Groups/${String(created.id)}` };
    }
    throw new ScimError(405, `${r.method} is not allowed on /Groups.`);
  }
  switch (r.method) {
    case 'GET': return { status: 200, body: await store.get(r.id, withMembers) };
    case 'PUT': return { status: 200, body: await store.replace(r.id, await r.body()) };
    case 'PATCH': return { status: 200, body: await store.patch(r.id, patchOperations(await r.body())) };
    case 'DELETE': await store.remove(r.id); return { status: 204 };
    default: throw new ScimError(405, `${r.method} is not allowed on a group.`);
  }
}

function patchOperations(body: unknown) {
  const parsed = patchRequestSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ScimError(400, `Not a valid PatchOp: ${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`, 'invalidSyntax');
  }
  return parsed.data.Operations;
}

async function jsonBody(req: IncomingMessage): Promise<unknown> {
  let raw: string;
  try {
    raw = await readBody(req, SCIM_BODY_LIMIT);
  } catch (error) {
    if (error instanceof PayloadTooLargeError) throw new ScimError(413, `The request is larger than ${SCIM_BODY_LIMIT} bytes.`, 'tooMany');
    throw error;
  }
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw new ScimError(400, 'The body is not valid JSON.', 'invalidSyntax');
  }
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'P2002';
}
