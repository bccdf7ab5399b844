import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Registry } from 'prom-client';
import { sendJson, type HttpApp } from '../http/httpApp.js';

/** One dependency probe: resolves true when reachable. Throwing or hanging counts as down. */
export type ReadinessCheck = () => Promise<boolean>;

export interface HealthRoutesOptions {
  /** Named probes, e.g. database, cache, queue; every one must pass for /readyz to answer 200. */
  readonly checks: Readonly<Record<string, ReadinessCheck>>;
  readonly registry: Registry;
  /**
   * Who may read /metrics (it names tenants): a bearer `token` (METRICS_TOKEN); without one, loopback
   * callers when `loopbackWithoutToken` (the embedded default), nobody otherwise.
   */
  readonly metrics?: { readonly token?: string; readonly loopbackWithoutToken: boolean };
  /** A probe slower than this is reported as down (a hung connection must not hang the orchestrator). */
  readonly timeoutMs?: number;
}

export interface ReadinessReport {
  readonly ready: boolean;
  readonly checks: Record<string, 'ok' | 'down'>;
  readonly failed: string[];
}

export async function checkReadiness(checks: Readonly<Record<string, ReadinessCheck>>, timeoutMs = 2000): Promise<ReadinessReport> {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => [name, await withTimeout(check, timeoutMs)] as const),
  );
  const result: Record<string, 'ok' | 'down'> = {};
  for (const [name, ok] of entries) result[name] = ok ? 'ok' : 'down';
  const failed = entries.filter(([, ok]) => !ok).map(([name]) => name);
  return { ready: failed.length === 0, checks: result, failed };
}

async function withTimeout(check: ReadinessCheck, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([check().catch(() => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** GET /healthz (the process answers), GET /readyz (its dependencies answer), GET /metrics (Prometheus). */
export function mountHealthRoutes(http: HttpApp, options: HealthRoutesOptions): void {
  http.route('GET', '/healthz', (_req, res) => {
    sendJson(res, 200, { status: 'ok' }, { 'cache-control': 'no-store' });
  });
  http.route('GET', '/readyz', async (_req, res) => {
    const report = await checkReadiness(options.checks, options.timeoutMs);
    sendJson(res, report.ready ? 200 : 503, { status: report.ready ? 'ready' : 'not_ready', checks: report.checks, ...(report.ready ? {} : { failed: report.failed }) }, { 'cache-control': 'no-store' });
  });
  http.route('GET', '/metrics', async (req, res) => {
    if (!metricsAllowed(req, options.metrics ?? { loopbackWithoutToken: false })) {
      const hint = options.metrics?.token ? 'Send the metrics token as a bearer token.' : 'Set METRICS_TOKEN and send it as a bearer token.';
      return sendJson(res, 401, { error: { code: 'unauthenticated', message: hint } }, { 'www-authenticate': 'Bearer realm="metrics"', 'cache-control': 'no-store' });
    }
    const body = await options.registry.metrics();
    res.writeHead(200, { 'content-type': options.registry.contentType, 'cache-control': 'no-store' });
    res.end(body);
  });
}

function metricsAllowed(req: IncomingMessage, policy: { readonly token?: string; readonly loopbackWithoutToken: boolean }): boolean {
  if (policy.token !== undefined) {
    const given = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '';
    const digest = (s: string): Buffer => createHash('sha256').update(s).digest();
    return timingSafeEqual(digest(given), digest(policy.token));
  }
  const peer = (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
  return policy.loopbackWithoutToken && (peer === '127.0.0.1' || peer === '::1');
}
