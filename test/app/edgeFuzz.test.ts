import { createHash, randomUUID } from 'node:crypto';
import { slackSignature } from '../support/slackSigning.js';
import { seededRandom } from '../support/teamsHarness.js';
import { CONFIGURED_ENTRA, SIGNING_SECRET, rawRequest, startEdgeProduct, type EdgeProduct, type RawResponse } from './support/edgeProduct.js';

// Issue 10, acceptance: an edge fuzz test against the whole product (Slack and Teams configured).
// Seeded, so a failure repeats exactly: malformed targets and percent-encodings, wrong methods and
// content types, oversized and truncated bodies, deeply nested JSON, NUL bytes, unknown Slack and
// Teams payload types, forged signatures. No answer may be >= 500 (the Agents SDK's 501 for an
// unknown invoke name excepted), the process must not fail, /readyz stays 200, RSS grows < 100 MB.

const SEED = 20261201;
const REQUESTS = 600;
const CONCURRENCY = 6;

const GET_ROUTES = [
  '/', '/static/app.js', '/static/app.css', '/api/web/people', '/api/web/connections', '/api/web/approvals', '/api/web/threads/:id/events',
  '/healthz', '/readyz', '/metrics', '/ops', '/ops/static/ops.js', '/ops/static/ops.css', '/ops/api/me', '/ops/api/runs', '/ops/api/runs/:id',
  '/ops/api/approvals', '/ops/api/audit', '/ops/api/usage', '/ops/api/dead-letters', '/slack/install', '/slack/oauth_redirect', '/oauth/callback/:id',
  '/auth/options', '/auth/session', '/auth/sso/start', '/auth/sso/callback', '/link/start',
  '/ops/static/timeline.js', '/ops/static/charts.js', '/ops/static/uplot.js', '/ops/static/uplot.css', '/ops/api/runs/:id/timeline', '/ops/api/usage/daily',
  '/scim/v2/Users', '/scim/v2/Users/:id', '/scim/v2/Groups', '/scim/v2/Groups/:id', '/scim/v2/ServiceProviderConfig', '/scim/v2/ResourceTypes', '/scim/v2/Schemas',
];
// Sign-in moved from /ops/login to /auth/login while this was written; both are fuzzed (a 404 is fine).
const POST_ROUTES = ['/api/web/links', '/api/web/messages', '/api/web/approvals/:id', '/auth/login', '/auth/logout', '/ops/login', '/link/start', '/ops/api/dead-letters/:id/replay', '/api/messages', '/slack/events',
  '/api/web/approvals/:id/cancel', '/scim/v2/Users', '/scim/v2/Groups'];
// SCIM is on for the demo tenant, and half the requests to it carry its token, so they get past authentication.
const SCIM_TOKEN = 'edge-fuzz-scim-token-0123456789abcdef';
const scimAuth = (rng: Rng, path: string): Record<string, string> => (path.startsWith('/scim/') && rng() < 0.5 ? { authorization: `Bearer ${SCIM_TOKEN}` } : {});

type Rng = () => number;
const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;
const int = (rng: Rng, max: number): number => Math.floor(rng() * max);

const BAD_ESCAPES = ['%', '%E0%A4%A', '%ZZ', '%00', '%C0%AF', '%ED%A0%80', '%FF', '%2e%2e%2f', '%25', '%u0041', '%%', '%0A'];
const WEIRD_SEGMENTS = ['/', '//', '/..', '/./', '/;jsessionid=1', '/%20', encodeURI('/\u00e9t\u00e9'), '/' + 'a'.repeat(4000), '/*'];

function fill(rng: Rng, route: string): string {
  return route.replace(/:id/g, () => pick(rng, [randomUUIDFrom(rng), 'x', '0', 'okta', '..', '%2F', 'a'.repeat(300)]));
}

function randomUUIDFrom(rng: Rng): string {
  const hex = Array.from({ length: 32 }, () => '0123456789abcdef'[int(rng, 16)]).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20)}`;
}

function mangle(rng: Rng, path: string): string {
  switch (int(rng, 5)) {
    case 0: return path + pick(rng, BAD_ESCAPES);
    case 1: return path.replace(/\/[^/]*$/, (last) => `/${pick(rng, BAD_ESCAPES)}${last.slice(1)}`);
    case 2: return pick(rng, WEIRD_SEGMENTS) + path;
    case 3: return `${path}?${pick(rng, ['a=%', 'state=%00&code=x', 'userId=%E0%A4%A', 'x=' + 'y'.repeat(6000), '&&==', 'userId=' + randomUUIDFrom(rng)])}`;
    default: return encodeURI(`${path}/${String.fromCharCode(0x2603)}`);
  }
}

function nested(rng: Rng, depth: number): string {
  const open = pick(rng, ['[', '{"a":']);
  const close = open === '[' ? ']' : '}';
  return `${open.repeat(depth)}1${close.repeat(depth)}`;
}

function randomJson(rng: Rng): string {
  switch (int(rng, 9)) {
    case 0: return 'null';
    case 1: return nested(rng, 1 + int(rng, 20_000));
    case 2: return JSON.stringify({ text: `hello\u0000world${'\u0000'.repeat(int(rng, 5))}`, userId: '\u0000', threadId: 'thread\u0000aaaa', clientMessageId: 'msg\u0000aaaaaa' });
    case 3: return '{"unterminated": "';
    case 4: return JSON.stringify([1, 2, 3]);
    case 5: return JSON.stringify({ email: 'a@b.c', password: 'x'.repeat(int(rng, 3000)) });
    case 6: return `"${'\\ud800'.repeat(50)}"`;
    case 7: return Buffer.from(Array.from({ length: 200 }, () => int(rng, 256))).toString('latin1');
    default: return JSON.stringify({ userId: randomUUIDFrom(rng), threadId: 'thread-fuzz-01', clientMessageId: `fuzz-${int(rng, 1e9)}-aaaa`, text: 'reset\u0000 my okta password', decision: pick(rng, ['approve', 'deny', 'maybe']) });
  }
}

const now = () => Math.floor(Date.now() / 1000);
/** Placeholder for a deeply nested JSON value, spliced in as text. */
const DEEP = Symbol('deep');

/** A signed (or badly signed) Slack request with an unknown, odd or hostile payload. */
function slackCase(rng: Rng): { headers: Record<string, string>; body: string } {
  const envelopes: (() => unknown)[] = [
    () => ({ type: 'event_callback', team_id: 'T0FUZZ', api_app_id: 'A0SWITCH', event_id: `Ev${int(rng, 1e9)}`, event: { type: pick(rng, ['message', 'app_mention', 'reaction_added', 'made_up_event', 'app_uninstalled', 'tokens_revoked']), user: 'U1', text: 'hi\u0000', channel: 'D1', ts: '1.1' } }),
    () => ({ type: 'event_callback', team_id: 'T0FUZZ', event: null }),
    () => ({ type: pick(rng, ['made_up_type', 'app_rate_limited', 'url_verification']), token: 'x' }),
    () => ({ type: pick(rng, ['block_actions', 'view_submission', 'view_closed', 'shortcut', 'message_action', 'block_suggestion']), ...(rng() < 0.5 ? { user: { id: 'U1' } } : {}), team: { id: 'T0FUZZ' }, actions: [{ action_id: pick(rng, ['approve', 'deny', 'nope']), value: 'x\u0000' }], view: rng() < 0.5 ? null : { id: 'V1' }, trigger_id: '1.2' }),
    () => null,
    () => [1, 2],
    () => 'just a string',
    () => DEEP,
  ];
  // Deep JSON is built as text: JSON.stringify itself cannot go that deep.
  const chosen = pick(rng, envelopes)();
  const payload = chosen === DEEP ? nested(rng, 1 + int(rng, 5000)) : JSON.stringify(chosen);
  const form = rng() < 0.4;
  const body = form ? new URLSearchParams(rng() < 0.2 ? { ssl_check: '1', token: 'x' } : { payload }).toString() : payload;
  const offset = pick(rng, [0, 0, 0, 30, -30, 400, -400, 3600]);
  const secret = rng() < 0.7 ? SIGNING_SECRET : 'forged-secret';
  const headers: Record<string, string> = { 'content-type': form ? 'application/x-www-form-urlencoded' : pick(rng, ['application/json', 'application/json', 'text/plain']) };
  if (rng() < 0.9) {
    headers['x-slack-request-timestamp'] = String(now() + offset);
    headers['x-slack-signature'] = rng() < 0.1 ? 'v1=deadbeef' : slackSignature(secret, now() + offset, body);
  }
  return { headers, body };
}

/** A Teams activity of a known or unknown type, with a valid, forged or missing token. */
function teamsCase(rng: Rng, edge: EdgeProduct): { headers: Record<string, string>; body: string; invoke: boolean } {
  const type = pick(rng, ['message', 'invoke', 'invoke', 'conversationUpdate', 'installationUpdate', 'messageReaction', 'event', 'typing', 'made_up', '']);
  const activity: Record<string, unknown> = {
    type,
    id: randomUUID(),
    channelId: pick(rng, ['msteams', 'msteams', 'emulator', 'made-up']),
    // Mostly answered inline; sometimes the bot must call back a Bot Connector that is not there.
    ...(rng() < 0.8 ? { deliveryMode: 'expectReplies' } : { serviceUrl: 'http://127.0.0.1:9/' }),
    timestamp: new Date().toISOString(),
    from: rng() < 0.9 ? { id: '29:ada', aadObjectId: pick(rng, ['aad-ada', 'aad-nobody', 'aad\u0000nul']), name: 'Ada\u0000' } : null,
    recipient: { id: '28:switchboard-bot', name: 'Switchboard' },
    conversation: { id: pick(rng, ['a:dm-ada', '19:group@thread.v2', '']), conversationType: pick(rng, ['personal', 'groupChat', 'channel', 'weird']), tenantId: pick(rng, [CONFIGURED_ENTRA, 'other-tenant']) },
    channelData: { tenant: { id: CONFIGURED_ENTRA } },
  };
  if (type === 'message') activity.text = pick(rng, ['hello', 'reset my okta password\u0000', '', '<at>Switchboard</at> help', 'x'.repeat(5000)]);
  if (type === 'invoke') {
    activity.name = pick(rng, ['adaptiveCard/action', 'made/up', 'task/fetch', 'signin/verifyState', 'composeExtension/query']);
    activity.value = pick(rng, [{ action: { type: 'Action.Execute', verb: pick(rng, ['approve', 'deny', 'x']), data: { marker: 'switchboard.approval', verb: 'approve', approvalId: randomUUIDFrom(rng) } } }, null, 'str', DEEP]);
  }
  if (type === 'conversationUpdate') activity.membersAdded = pick(rng, [[{ id: '28:switchboard-bot' }], null, [null]]);
  if (type === 'installationUpdate') activity.action = pick(rng, ['add', 'remove', 'made-up']);
  const headers: Record<string, string> = { 'content-type': pick(rng, ['application/json', 'application/json', 'text/plain']) };
  const auth = int(rng, 6);
  if (auth <= 2) headers.authorization = `Bearer ${edge.teamsToken()}`;
  else if (auth === 3) headers.authorization = `Bearer ${edge.issuer.token({ iss: 'https://evil.example/', aud: 'x' }, { foreignKey: true })}`;
  else if (auth === 4) headers.authorization = pick(rng, ['Bearer', 'Basic abc', 'Bearer a.b.c', `Bearer ${'x'.repeat(9000)}`]);
  const body = activity.value === DEEP ? JSON.stringify({ ...activity, value: '@deep@' }).replace('"@deep@"', nested(rng, 1 + int(rng, 3000))) : JSON.stringify(activity);
  return { headers, body, invoke: type === 'invoke' };
}

interface Outcome {
  readonly label: string;
  readonly status: number | 'no answer';
  readonly allow501: boolean;
}

async function oneRequest(rng: Rng, edge: EdgeProduct, n: number): Promise<Outcome> {
  const kind = n % 10;
  const send = async (label: string, input: Parameters<typeof rawRequest>[1], allow501 = false): Promise<Outcome> => {
    try {
      const response: RawResponse = await rawRequest(edge.url, { timeoutMs: 10_000, ...input });
      return { label, status: response.status, allow501 };
    } catch {
      return { label, status: 'no answer', allow501 };
    }
  };
  switch (kind) {
    case 0: {
      const path = mangle(rng, fill(rng, pick(rng, [...GET_ROUTES, ...POST_ROUTES])));
      return send(`malformed ${path.slice(0, 80)}`, { method: pick(rng, ['GET', 'POST']), path, headers: { 'content-type': 'application/json' }, body: '{}' });
    }
    case 1: {
      const path = fill(rng, pick(rng, [...GET_ROUTES, ...POST_ROUTES]));
      const method = pick(rng, ['PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'TRACE', 'FOO']);
      return send(`${method} ${path}`, { method, path, headers: { 'content-type': 'application/json', ...scimAuth(rng, path) }, body: randomJson(rng) });
    }
    case 2: {
      const path = fill(rng, pick(rng, POST_ROUTES));
      const type = pick(rng, ['text/plain', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded', 'application/xml', '']);
      return send(`content-type ${type} ${path}`, { method: 'POST', path, headers: type ? { 'content-type': type } : {}, body: randomJson(rng) });
    }
    case 3: {
      const path = fill(rng, pick(rng, [...POST_ROUTES, '/oauth/callback/okta']));
      const size = pick(rng, [40 * 1024, 600 * 1024, 1200 * 1024, 3 * 1024 * 1024]);
      const chunked = rng() < 0.5;
      const chunk = Buffer.alloc(64 * 1024, 0x7b);
      const chunks = Array.from({ length: Math.ceil(size / chunk.length) }, () => chunk);
      const headers: Record<string, string> = { 'content-type': 'application/json', ...(chunked ? { 'transfer-encoding': 'chunked' } : { 'content-length': String(chunks.length * chunk.length) }) };
      if (path === '/slack/events') Object.assign(headers, { 'x-slack-request-timestamp': String(now()), 'x-slack-signature': slackSignature(SIGNING_SECRET, now(), '{}') });
      return send(`oversized ${size} ${chunked ? 'chunked' : 'declared'} ${path}`, { method: path.startsWith('/oauth') ? 'GET' : 'POST', path, headers, chunks });
    }
    case 4: {
      // Truncated: the declared length is never reached and the client gives up.
      const path = fill(rng, pick(rng, POST_ROUTES));
      const body = randomJson(rng);
      return send(`truncated ${path}`, { method: 'POST', path, headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body) + 100) }, chunks: [Buffer.from(body)], timeoutMs: 150 });
    }
    case 5: {
      const path = fill(rng, pick(rng, POST_ROUTES));
      return send(`nested ${path}`, { method: 'POST', path, headers: { 'content-type': 'application/json' }, body: nested(rng, 1 + int(rng, 100_000)) });
    }
    case 6: {
      const path = fill(rng, pick(rng, POST_ROUTES));
      return send(`body ${path}`, { method: 'POST', path, headers: { 'content-type': 'application/json', ...scimAuth(rng, path) }, body: randomJson(rng) });
    }
    case 7: {
      const { headers, body } = slackCase(rng);
      return send(`slack ${body.slice(0, 80)}`, { method: 'POST', path: '/slack/events', headers, body });
    }
    case 8: {
      const { headers, body, invoke } = teamsCase(rng, edge);
      return send(`teams ${body.slice(0, 120)}`, { method: 'POST', path: '/api/messages', headers, body }, invoke);
    }
    default: {
      const path = mangle(rng, fill(rng, pick(rng, GET_ROUTES)));
      // A long-lived event stream is opened and dropped at once: the client times out quickly.
      return send(`GET ${path.slice(0, 80)}`, { method: 'GET', path, headers: scimAuth(rng, path), timeoutMs: path.includes('/events') ? 300 : 10_000 });
    }
  }
}

let edge: EdgeProduct;
const failures: unknown[] = [];
const onFailure = (error: unknown): void => {
  failures.push(error);
};

beforeAll(async () => {
  process.on('uncaughtException', onFailure);
  process.on('unhandledRejection', onFailure);
  edge = await startEdgeProduct({ ACME_SCIM_TOKEN_HASH: `sha256:${createHash('sha256').update(SCIM_TOKEN).digest('hex')}` });
});

afterAll(async () => {
  await edge?.close();
  process.off('uncaughtException', onFailure);
  process.off('unhandledRejection', onFailure);
});

test(`${REQUESTS} generated requests across every route: no 5xx, no crash, still ready, bounded memory`, async () => {
  const rng = seededRandom(SEED);
  const cases = Array.from({ length: REQUESTS }, (_, n) => n);
  // Warm up (JIT, pools, first JWKS fetch) before taking the memory baseline.
  for (const n of cases.slice(0, 20)) await oneRequest(rng, edge, n);
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;

  const outcomes: Outcome[] = [];
  const readiness: number[] = [];
  let next = 20;
  const worker = async (): Promise<void> => {
    while (next < cases.length) {
      const n = next++;
      outcomes.push(await oneRequest(rng, edge, n));
      if (n % 50 === 0) readiness.push((await fetch(`${edge.url}/readyz`)).status);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, () => worker()));
  global.gc?.();
  const rssGrowthMb = (process.memoryUsage().rss - rssBefore) / 1024 / 1024;

  const serverErrors = outcomes.filter((o) => typeof o.status === 'number' && o.status >= 500 && !(o.status === 501 && o.allow501));
  const counts: Record<string, Record<string, number>> = {};
  for (const o of outcomes) {
    const family = (counts[o.label.split(' ')[0]!] ??= {});
    family[String(o.status)] = (family[String(o.status)] ?? 0) + 1;
  }
  process.stdout.write(`edge fuzz: ${outcomes.length + 20} requests, RSS +${rssGrowthMb.toFixed(1)} MB, statuses by kind ${JSON.stringify(counts)}\n`);

  if (process.env.EDGE_FUZZ_DEBUG) process.stdout.write(`${outcomes.filter((o) => String(o.status) === process.env.EDGE_FUZZ_DEBUG).map((o) => o.label).join("\n")}\n`);
  expect(outcomes.length + 20).toBeGreaterThanOrEqual(500);
  expect(serverErrors).toEqual([]);
  expect(failures).toEqual([]);
  expect(readiness.every((s) => s === 200)).toBe(true);
  expect((await fetch(`${edge.url}/readyz`)).status).toBe(200);
  expect(rssGrowthMb).toBeLessThan(100);
  // The SCIM requests above were fuzzing a live provider, not a closed door.
  expect((await fetch(`${edge.url}/scim/v2/Users`, { headers: { authorization: `Bearer ${SCIM_TOKEN}` } })).status).toBe(200);
});
