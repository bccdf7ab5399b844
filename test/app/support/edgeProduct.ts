import { readFile, writeFile, mkdtemp, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exampleTenantsFilePath } from '../../../src/config/tenantsFile.js';
import { startTokenIssuer, type TokenIssuer } from '../../support/teamsJwt.js';
import { startProduct, type RunningProduct } from './product.js';

export const SIGNING_SECRET = 'edge-signing-secret';
export const APP_ID = '7d1c5b3a-9e8f-4a6b-8c2d-1e0f9a8b7c6d';
/** The Entra tenant the tenants file maps to the demo tenant. */
export const CONFIGURED_ENTRA = '3a2b1c0d-4e5f-4a6b-9c8d-7e6f5a4b3c2d';
/** An Entra tenant nobody configured (its tokens are signed with the same keys, as Entra's are). */
export const FOREIGN_ENTRA = '9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a';

export interface EdgeProduct {
  readonly product: RunningProduct;
  readonly issuer: TokenIssuer;
  readonly url: string;
  /** A Bot Framework-style token for our app id, signed with the published key. */
  teamsToken(claims?: Record<string, unknown>): string;
  close(): Promise<void>;
}

/**
 * The whole product with every inbound route on: multi-workspace Slack (signing secret), Teams as a
 * MultiTenant bot whose signing keys come from a local stand-in for Entra, the configured Entra
 * tenant mapped to the demo tenant.
 */
export async function startEdgeProduct(env: Record<string, string> = {}): Promise<EdgeProduct> {
  // A MultiTenant bot has no tenant of its own: the SDK looks for keys under "botframework.com".
  const issuer = await startTokenIssuer('botframework.com');
  const dir = await mkdtemp(join(tmpdir(), 'sb-edge-'));
  const tenantsFile = join(dir, 'tenants.yaml');
  const example = await readFile(exampleTenantsFilePath(), 'utf8');
  await writeFile(tenantsFile, example.replace('entraTenantIds: []', `entraTenantIds: ["${CONFIGURED_ENTRA}"]`));
  let product: RunningProduct;
  try {
    product = await startProduct({
      env: {
        TENANTS_FILE: tenantsFile,
        SLACK_CLIENT_ID: '111.222', SLACK_CLIENT_SECRET: 'client-secret', SLACK_STATE_SECRET: 'state-secret-xyz', SLACK_SIGNING_SECRET: SIGNING_SECRET,
        MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: 'not-used-by-these-tests', MICROSOFT_APP_TYPE: 'MultiTenant', MICROSOFT_APP_AUTHORITY: issuer.authority,
        ...env,
      },
    });
  } catch (error) {
    await issuer.stop();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const now = () => Math.floor(Date.now() / 1000);
  return {
    product,
    issuer,
    url: product.url,
    teamsToken: (claims = {}) => issuer.token({
      iss: `https://login.microsoftonline.com/${CONFIGURED_ENTRA}/v2.0`, tid: CONFIGURED_ENTRA, aud: APP_ID,
      iat: now() - 10, nbf: now() - 10, exp: now() + 3600, serviceurl: 'http://127.0.0.1/',
      ...claims,
    }),
    async close() {
      await product.close();
      await issuer.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface RawResponse {
  readonly status: number;
  readonly body: string;
  readonly headers: Record<string, string | string[] | undefined>;
  /** Body bytes the client managed to write before the server answered or hung up. */
  readonly sent: number;
}

/**
 * One request over a fresh connection with full control of the target and the body framing, which
 * fetch does not allow ("//", broken escapes, a content-length that lies, a body that never ends).
 * `chunks` are written one after another until the server answers; a refused upload is not an error.
 */
export function rawRequest(base: string, input: { method: string; path: string; headers?: Record<string, string>; body?: Buffer | string; chunks?: Iterable<Buffer>; timeoutMs?: number }): Promise<RawResponse> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = httpRequest({ host: url.hostname, port: url.port, method: input.method, path: input.path, headers: { connection: 'close', ...input.headers }, agent: false, timeout: input.timeoutMs ?? 20_000 });
    req.on('response', (res) => {
      answered = true;
      const parts: Buffer[] = [];
      res.on('data', (chunk: Buffer) => parts.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts).toString('utf8'), headers: res.headers, sent }));
      res.on('error', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts).toString('utf8'), headers: res.headers, sent }));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer to ${input.method} ${input.path}`)));
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    if (input.chunks) {
      const iterator = input.chunks[Symbol.iterator]();
      const pump = (): void => {
        while (!answered && !req.destroyed) {
          const next = iterator.next();
          if (next.done) {
            req.end();
            return;
          }
          sent += next.value.length;
          if (!req.write(next.value)) {
            req.once('drain', pump);
            return;
          }
        }
      };
      pump();
      return;
    }
    if (input.body !== undefined) {
      const body = typeof input.body === 'string' ? Buffer.from(input.body) : input.body;
      sent = body.length;
      req.end(body);
    } else req.end();
  });
}
