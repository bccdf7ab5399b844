import { startEdgeProduct, type EdgeProduct } from '../app/support/edgeProduct.js';

// Issue 15, deliverable 4: request rate, errors and duration per channel at the HTTP edge, labelled by
// route group (never by the raw path, so an id in a URL cannot grow the series without bound).
let edge: EdgeProduct;

beforeAll(async () => {
  edge = await startEdgeProduct();
}, 120_000);

afterAll(async () => {
  await edge?.close();
});

async function metricsText(): Promise<string> {
  const res = await fetch(`${edge.url}/metrics`);
  expect(res.status).toBe(200);
  return res.text();
}

function sample(text: string, name: string, labels: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}}`));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

test('a request to each channel route is counted and timed under its channel label', async () => {
  const runId = '0b7e6c1e-7d0a-4c55-9a43-5f3d0c1f2e9a';
  const requests: { channel: string; statusClass: string; method: string; path: string; headers?: Record<string, string>; body?: string }[] = [
    // Unsigned Slack and Teams posts are refused at the edge: they still count, as errors.
    { channel: 'slack', statusClass: '4xx', method: 'POST', path: '/slack/events', headers: { 'content-type': 'application/json' }, body: '{}' },
    { channel: 'teams', statusClass: '4xx', method: 'POST', path: '/api/messages', headers: { 'content-type': 'application/json' }, body: '{}' },
    { channel: 'web', statusClass: '2xx', method: 'GET', path: '/api/web/people' },
    { channel: 'auth', statusClass: '2xx', method: 'GET', path: '/auth/options' },
    { channel: 'ops', statusClass: '4xx', method: 'GET', path: `/ops/api/runs/${runId}/timeline` },
    { channel: 'scim', statusClass: '4xx', method: 'GET', path: '/scim/v2/Users' },
    { channel: 'oauth', statusClass: '4xx', method: 'GET', path: '/oauth/callback/okta?state=nope&code=nope' },
    { channel: 'probe', statusClass: '2xx', method: 'GET', path: '/healthz' },
    { channel: 'unmatched', statusClass: '4xx', method: 'GET', path: `/nothing-here/${runId}` },
  ];
  const before = await metricsText();
  for (const r of requests) {
    const res = await fetch(`${edge.url}${r.path}`, { method: r.method, ...(r.headers ? { headers: r.headers } : {}), ...(r.body ? { body: r.body } : {}) });
    await res.arrayBuffer();
    expect([r.path, `${Math.floor(res.status / 100)}xx`]).toEqual([r.path, r.statusClass]);
  }
  const after = await metricsText();
  for (const r of requests) {
    const labels = `channel="${r.channel}",status_class="${r.statusClass}"`;
    const grew = (sample(after, 'switchboard_http_requests_total', labels) ?? 0) - (sample(before, 'switchboard_http_requests_total', labels) ?? 0);
    expect([r.channel, grew]).toEqual([r.channel, 1]);
    const timed = (sample(after, 'switchboard_http_request_duration_seconds_count', `channel="${r.channel}"`) ?? 0)
      - (sample(before, 'switchboard_http_request_duration_seconds_count', `channel="${r.channel}"`) ?? 0);
    expect([r.channel, timed]).toEqual([r.channel, 1]);
  }
  // Bounded labels: no raw path or id reaches /metrics, and every channel value is a known group.
  expect(after).not.toContain(runId);
  const channels = new Set([...after.matchAll(/switchboard_http_requests_total\{channel="([^"]+)"/g)].map((m) => m[1]!));
  expect([...channels].filter((c) => !['slack', 'teams', 'web', 'auth', 'oauth', 'ops', 'scim', 'probe', 'metrics', 'other', 'unmatched'].includes(c))).toEqual([]);
}, 60_000);
