import { randomUUID } from 'node:crypto';
import { loadEnv } from '../../src/config/env.js';
import { postureOf } from '../../src/config/posture.js';
import { generateKeySpec } from '../../src/store/crypto/index.js';
import { startProduct, type RunningProduct } from './support/product.js';
import { breakGlassSignIn } from './support/signIn.js';

// Issue 10, findings 2 and 3: the doors a deployment opens must not depend on NODE_ENV being exactly
// "production", and a Slack-only or Teams-only production deployment must start. Each product here
// runs the whole composition root against its own real PostgreSQL database.

const PRODUCTION = (): Record<string, string> => ({
  NODE_ENV: 'production',
  SWITCHBOARD_ENCRYPTION_KEYS: generateKeySpec('k1'),
  PUBLIC_URL: 'https://switchboard.example.com',
  // The posture is derived from the environment, as on a real deployment.
  SWITCHBOARD_POSTURE: '',
});
const SLACK = { SLACK_CLIENT_ID: '111.222', SLACK_CLIENT_SECRET: 'client-secret', SLACK_STATE_SECRET: 'state-secret-xyz', SLACK_SIGNING_SECRET: 'signing-secret' };
const TEAMS = { MICROSOFT_APP_ID: '00000000-0000-0000-0000-00000000b07', MICROSOFT_APP_PASSWORD: 'app-password' };

/** A Teams message activity exactly as the Bot Connector would send it, but without its JWT. */
function unsignedTeamsMessage(): string {
  return JSON.stringify({
    type: 'message',
    id: randomUUID(),
    channelId: 'msteams',
    serviceUrl: 'http://127.0.0.1:9/',
    timestamp: new Date().toISOString(),
    from: { id: '29:ada', name: 'Ada', aadObjectId: '00000000-0000-0000-0000-0000000000a1' },
    recipient: { id: '28:switchboard-bot', name: 'Switchboard' },
    conversation: { id: 'a:personal-ada', conversationType: 'personal', tenantId: 'entra-acme' },
    channelData: { tenant: { id: 'entra-acme' } },
    text: 'please reset my okta password',
  });
}

async function status(url: string, init?: RequestInit): Promise<number> {
  const response = await fetch(url, init);
  await response.arrayBuffer();
  return response.status;
}

/** Neither the playground's API nor an unsigned Teams activity gets anywhere. */
async function expectDoorsClosed(product: RunningProduct, teamsStatus: number): Promise<void> {
  const base = product.app.localUrl;
  expect(await status(`${base}/api/web/people`)).toBe(404);
  expect(await status(`${base}/api/web/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId: randomUUID(), threadId: 'thread-0001', clientMessageId: 'message-0001', text: 'hi' }) })).toBe(404);
  expect(await status(`${base}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: unsignedTeamsMessage() })).toBe(teamsStatus);
}

describe('production starts with any one chat platform, and the playground and anonymous Teams stay shut', () => {
  test.each([
    ['Slack only', SLACK, 404],
    ['Teams only', TEAMS, 401],
    ['Slack and Teams', { ...SLACK, ...TEAMS }, 401],
  ] as const)('%s', async (_name, chat, teamsStatus) => {
    const product = await startProduct({ env: { ...PRODUCTION(), ...chat } });
    try {
      await expectDoorsClosed(product, teamsStatus);
      expect(product.app.banner).toMatch(/Posture\s+deployed/);
    } finally {
      await product.close();
    }
  }, 120_000);
});

test('a deployment without NODE_ENV=production (just DATABASE_URL) is deployed: no playground, no anonymous Teams', async () => {
  const product = await startProduct({ env: { NODE_ENV: '', SWITCHBOARD_POSTURE: '' } });
  try {
    await expectDoorsClosed(product, 404);
    expect(product.app.banner).toMatch(/Posture\s+deployed/);
  } finally {
    await product.close();
  }
}, 120_000);

describe('a deployed playground that is switched on acts only as the signed-in person', () => {
  let product: RunningProduct;
  let cookie: string;
  let csrfToken: string;
  let linusId: string;
  let adaId: string;

  beforeAll(async () => {
    // Linus is the example tenant's break-glass account (tenants.example.yaml; the harness sets its hash).
    product = await startProduct({ env: { NODE_ENV: '', SWITCHBOARD_POSTURE: '', PLAYGROUND: 'true' } });
    const { default: pg } = await import('pg');
    const db = new pg.Client({ connectionString: product.databaseUrl });
    await db.connect();
    try {
      const { rows } = await db.query<{ id: string; email: string }>(`SELECT id, email FROM users WHERE tenant_id = 'acme' AND email IN ('linus@acme.test', 'ada@acme.test')`);
      linusId = rows.find((r) => r.email === 'linus@acme.test')!.id;
      adaId = rows.find((r) => r.email === 'ada@acme.test')!.id;
    } finally {
      await db.end();
    }
    ({ cookie, csrfToken } = await breakGlassSignIn(product.app.localUrl));
  }, 120_000);

  afterAll(async () => {
    await product?.close();
  });

  const post = (path: string, body: unknown, withCookie = true): Promise<Response> =>
    fetch(`${product.app.localUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(withCookie ? { cookie, 'x-csrf-token': csrfToken } : {}) }, body: JSON.stringify(body) });

  test('without a session nothing answers with data', async () => {
    expect(await status(`${product.app.localUrl}/api/web/people`)).toBe(401);
    const anonymous = await post('/api/web/messages', { userId: adaId, threadId: 'thread-anon-1', clientMessageId: 'message-anon-1', text: 'reset my okta password' }, false);
    expect(anonymous.status).toBe(401);
  });

  test('the people list is only the signed-in person', async () => {
    const response = await fetch(`${product.app.localUrl}/api/web/people`, { headers: { cookie } });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { people: { id: string; email: string }[] };
    expect(body.people.map((p) => p.email)).toEqual(['linus@acme.test']);
  });

  test('a request naming another userId is refused, and nothing runs as that person', async () => {
    const refused = await post('/api/web/messages', { userId: adaId, threadId: 'thread-spoof-1', clientMessageId: 'message-spoof-1', text: 'reset my okta password' });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('not_signed_in_person');
    expect(await status(`${product.app.localUrl}/api/web/approvals?userId=${adaId}`, { headers: { cookie } })).toBe(403);
    const decide = await post(`/api/web/approvals/${randomUUID()}`, { userId: adaId, decision: 'approve' });
    expect(decide.status).toBe(403);
    // Even as himself, a write without the session's CSRF token is refused.
    const forged = await fetch(`${product.app.localUrl}/api/web/messages`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify({ userId: linusId, threadId: 'thread-csrf-1', clientMessageId: 'message-csrf-1', text: 'hello' }) });
    expect(forged.status).toBe(403);
  });

  test('the signed-in person acts as themselves', async () => {
    const accepted = await post('/api/web/messages', { userId: linusId, threadId: 'thread-self-1', clientMessageId: 'message-self-1', text: 'hello' });
    expect(accepted.status).toBe(202);
    const { runId } = (await accepted.json()) as { runId: string };
    const { default: pg } = await import('pg');
    const db = new pg.Client({ connectionString: product.databaseUrl });
    await db.connect();
    try {
      const { rows } = await db.query<{ user_id: string }>('SELECT user_id FROM runs WHERE id = $1', [runId]);
      expect(rows[0]?.user_id).toBe(linusId);
    } finally {
      await db.end();
    }
  });
});

describe('postureOf', () => {
  test('nothing configured is the embedded demo on loopback', () => {
    const posture = postureOf(loadEnv({}));
    expect(posture).toMatchObject({ kind: 'embedded', host: '127.0.0.1', playground: 'demo', anonymousTeams: true, defaultTenantFallback: true });
    expect(postureOf(loadEnv({ HOST: '0.0.0.0' })).host).toBe('0.0.0.0');
    expect(postureOf(loadEnv({ PLAYGROUND: 'false' })).playground).toBe('off');
  });

  test.each([
    ['NODE_ENV=production', { NODE_ENV: 'production', SWITCHBOARD_ENCRYPTION_KEYS: generateKeySpec('k1'), PUBLIC_URL: 'https://sb.example.com' }],
    ['DATABASE_URL', { DATABASE_URL: 'postgresql://u@db:5432/sb' }],
    ['Slack credentials', { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' }],
    ['Slack credentials', { SLACK_APP_TOKEN: 'xapp-1' }],
    ['Microsoft credentials', { MICROSOFT_APP_ID: 'app', MICROSOFT_APP_PASSWORD: 'pw' }],
  ])('%s makes it deployed', (reason, source) => {
    const posture = postureOf(loadEnv(source));
    expect(posture).toMatchObject({ kind: 'deployed', host: '0.0.0.0', playground: 'off', anonymousTeams: false, defaultTenantFallback: false });
    expect(posture.reasons).toContain(reason);
    expect(postureOf(loadEnv({ ...source, PLAYGROUND: 'true' })).playground).toBe('signed-in');
  });

  test('the embedded posture cannot be forced in production', () => {
    expect(() => loadEnv({ NODE_ENV: 'production', SWITCHBOARD_ENCRYPTION_KEYS: generateKeySpec('k1'), PUBLIC_URL: 'https://sb.example.com', SWITCHBOARD_POSTURE: 'embedded' })).toThrow(/SWITCHBOARD_POSTURE cannot be embedded in production/);
    expect(postureOf(loadEnv({ DATABASE_URL: 'postgresql://u@db:5432/sb', SWITCHBOARD_POSTURE: 'embedded' })).kind).toBe('embedded');
  });
});
