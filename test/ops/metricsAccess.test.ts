import { HttpApp } from '../../src/http/httpApp.js';
import { createLogger } from '../../src/core/logger.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { mountHealthRoutes } from '../../src/ops/healthRoutes.js';

// Issue 10, finding 5: /metrics is labelled with tenant ids, so it needs METRICS_TOKEN; without one it
// answers loopback callers only in the embedded default, and nobody once deployed.
async function serve(metrics: { token?: string; loopbackWithoutToken: boolean }): Promise<{ url: string; close(): Promise<void> }> {
  const http = new HttpApp(createLogger({ level: 'silent' }));
  mountHealthRoutes(http, { registry: createMetrics().registry, checks: {}, metrics });
  const { url } = await http.listen(0, '127.0.0.1');
  return { url, close: () => http.close() };
}

test('deployed without METRICS_TOKEN: refused even from loopback', async () => {
  const app = await serve({ loopbackWithoutToken: false });
  try {
    const response = await fetch(`${app.url}/metrics`);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/METRICS_TOKEN/);
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
  } finally {
    await app.close();
  }
});

test('embedded default without a token: open to loopback callers', async () => {
  const app = await serve({ loopbackWithoutToken: true });
  try {
    expect((await fetch(`${app.url}/metrics`)).status).toBe(200);
  } finally {
    await app.close();
  }
});

test('with METRICS_TOKEN only the bearer token opens it, loopback or not', async () => {
  const app = await serve({ token: 'a-metrics-token-of-some-length', loopbackWithoutToken: true });
  try {
    expect((await fetch(`${app.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${app.url}/metrics`, { headers: { authorization: 'Bearer a-metrics-token-of-some-lengtH' } })).status).toBe(401);
    expect((await fetch(`${app.url}/metrics`, { headers: { authorization: 'Bearer a-metrics-token-of-some-length' } })).status).toBe(200);
  } finally {
    await app.close();
  }
});
