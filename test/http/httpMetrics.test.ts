import { createLogger } from '../../src/core/logger.js';
import { channelOf, HttpApp, sendJson } from '../../src/http/httpApp.js';
import { createMetrics } from '../../src/observability/metrics.js';

// Issue 15, deliverable 4 at the HttpApp itself: every answered request is counted under its route
// group and status class (a throwing handler's 500 too), and a client that leaves before the answer
// is counted as `aborted`; the raw path never becomes a label.
test('route groups come from the mounted path, not from what the client sent', () => {
  expect(channelOf('/slack/events')).toBe('slack');
  expect(channelOf('/api/messages')).toBe('teams');
  expect(channelOf('/api/web/approvals/:approvalId')).toBe('web');
  expect(channelOf('/')).toBe('web');
  expect(channelOf('/oauth/callback/:connectorId')).toBe('oauth');
  expect(channelOf('/link/start')).toBe('oauth');
  expect(channelOf('/ops')).toBe('ops');
  expect(channelOf('/scim/v2')).toBe('scim');
  expect(channelOf('/readyz')).toBe('probe');
  expect(channelOf('/somewhere-new')).toBe('other');
});

test('requests are counted per channel and status class, failures and departures included', async () => {
  const metrics = createMetrics();
  const app = new HttpApp(createLogger({ level: 'silent' }), { metrics: { requests: metrics.httpRequests, seconds: metrics.httpSeconds } });
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  let started: () => void = () => undefined;
  const running = new Promise<void>((resolve) => (started = resolve));
  app.route('GET', '/api/web/items/:id', (_req, res, params) => sendJson(res, 200, { id: params.id }));
  app.route('GET', '/api/web/boom', () => {
    throw new Error('route exploded');
  });
  app.route('GET', '/hooks/held', async (_req, res) => {
    started();
    await held;
    sendJson(res, 200, {});
  }, { channel: 'slack' });
  const { url } = await app.listen(0, '127.0.0.1');
  try {
    await (await fetch(`${url}/api/web/items/1`)).arrayBuffer();
    await (await fetch(`${url}/api/web/items/2`)).arrayBuffer();
    await (await fetch(`${url}/api/web/boom`)).arrayBuffer();
    await (await fetch(`${url}/no/such/path`)).arrayBuffer();
    const abort = new AbortController();
    const gone = fetch(`${url}/hooks/held`, { signal: abort.signal }).catch(() => 'aborted');
    // Leave while the handler is still working on the answer.
    await running;
    abort.abort();
    expect(await gone).toBe('aborted');
    const count = async (labels: { channel: string; status_class: string }) => {
      const metric = await metrics.httpRequests.get();
      return metric.values.find((v) => v.labels.channel === labels.channel && v.labels.status_class === labels.status_class)?.value ?? 0;
    };
    // The server sees the closed socket a moment after the client gave up.
    for (let i = 0; i < 250 && (await count({ channel: 'slack', status_class: 'aborted' })) === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    release();
    expect(await count({ channel: 'web', status_class: '2xx' })).toBe(2);
    expect(await count({ channel: 'web', status_class: '5xx' })).toBe(1);
    expect(await count({ channel: 'unmatched', status_class: '4xx' })).toBe(1);
    expect(await count({ channel: 'slack', status_class: 'aborted' })).toBe(1);
    const text = await metrics.registry.metrics();
    expect(text).not.toContain('/api/web/items');
    expect(text).toContain('switchboard_http_request_duration_seconds_count{channel="web"} 3');
  } finally {
    release();
    await app.close();
  }
});
