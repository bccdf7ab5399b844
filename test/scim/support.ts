import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml, stringify } from 'yaml';
import { exampleTenantsFilePath } from '../../src/config/tenantsFile.js';
import { mintScimToken } from '../../src/scim/tokens.js';
import { startProduct, type RunningProduct } from '../app/support/product.js';

export const ACME_ENTRA_TENANT = '7a1f0c2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b';
export const SCIM_CONTENT = 'application/scim+json';
export const USER_URN = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ENTERPRISE_URN = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const GROUP_URN = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const PATCH_URN = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

export interface ScimProduct {
  readonly product: RunningProduct;
  readonly acmeToken: string;
  readonly globexToken: string;
  readonly dir: string;
  readonly tenantsFile: string;
  readonly env: Record<string, string>;
  close(): Promise<void>;
}

/**
 * The demo tenants file plus SCIM: acme maps the IdP group "IT Admins" to the it_admin role and the
 * it-admins approver group, and a second tenant (globex) has its own token.
 */
export async function writeScimTenantsFile(dir: string): Promise<string> {
  const content = parseYaml(await readFile(exampleTenantsFilePath(), 'utf8')) as { tenants: Record<string, unknown>[] };
  const acme = content.tenants[0]!;
  acme.scim = { tokenHashEnv: 'ACME_SCIM_TOKEN_HASH', groupMappings: [{ group: 'IT Admins', roles: ['it_admin', 'approver'], approverGroups: ['it-admins'] }, { group: 'Switchboard Admins', roles: ['admin'] }] };
  acme.adminContact = 'Linus Torvalds (linus@acme.test)';
  // Two tenants: Teams needs to know which Entra tenant is acme's (no single-tenant fallback).
  acme.teams = { entraTenantIds: [ACME_ENTRA_TENANT] };
  content.tenants.push({ id: 'globex', name: 'Globex', users: [{ email: 'hank@globex.test', displayName: 'Hank Scorpio' }], scim: { tokenHashEnv: 'GLOBEX_SCIM_TOKEN_HASH' } });
  const path = join(dir, 'tenants.yaml');
  await writeFile(path, stringify(content));
  return path;
}

export async function startScimProduct(options: { databaseUrl?: string; tokens?: { acme: string; globex: string; env: Record<string, string> }; dir?: string; extraEnv?: Record<string, string> } = {}): Promise<ScimProduct> {
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'sb-scim-')));
  const tenantsFile = await writeScimTenantsFile(dir);
  const acme = mintScimToken();
  const globex = mintScimToken();
  const tokens = options.tokens ?? { acme: acme.token, globex: globex.token, env: { ACME_SCIM_TOKEN_HASH: acme.hash, GLOBEX_SCIM_TOKEN_HASH: globex.hash } };
  const env = { TENANTS_FILE: tenantsFile, ...tokens.env, ...options.extraEnv };
  const product = await startProduct({ ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : {}), env });
  return {
    product, acmeToken: tokens.acme, globexToken: tokens.globex, dir, tenantsFile, env: tokens.env,
    async close() {
      await product.close();
      if (!options.dir) await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface ScimResponse {
  readonly status: number;
  readonly body: Record<string, unknown> & { id?: string };
  readonly headers: Headers;
}

/** A SCIM client as an IdP is: bearer token, application/scim+json. */
export function scimClient(baseUrl: string, token: string | undefined) {
  return async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ScimResponse> => {
    const response = await fetch(`${baseUrl}/scim/v2${path}`, {
      method,
      headers: { accept: SCIM_CONTENT, ...(body !== undefined ? { 'content-type': SCIM_CONTENT } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as ScimResponse['body']) : {}, headers: response.headers };
  };
}
export type ScimClient = ReturnType<typeof scimClient>;

export function filter(expression: string): string {
  return encodeURIComponent(expression);
}
