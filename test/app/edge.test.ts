import pg from 'pg';
import { slackSignature } from '../support/slackSigning.js';
import { cardActionInvoke, postActivity } from '../support/teamsActivities.js';
import { startTeamsHarness, ENTRA_TENANT } from '../support/teamsHarness.js';
import { startTokenIssuer } from '../support/teamsJwt.js';
import { CONFIGURED_ENTRA, FOREIGN_ENTRA, SIGNING_SECRET, rawRequest, startEdgeProduct, type EdgeProduct } from './support/edgeProduct.js';
import { eventually } from './support/product.js';

// Issue 10, findings 1, 4, 7 and 8, through the whole product with Slack and Teams configured:
// requests that used to end the process, buffer unbounded bodies, pass Teams authentication from
// any Entra tenant, or answer 500 to signed but odd payloads.
let edge: EdgeProduct;

beforeAll(async () => {
  edge = await startEdgeProduct();
});

afterAll(async () => {
  await edge?.close();
});

const readyz = async () => (await fetch(`${edge.url}/readyz`)).status;

function signedHeaders(body: string, timestampSec = Math.floor(Date.now() / 1000), contentType = 'application/json'): Record<string, string> {
  return { 'content-type': contentType, 'x-slack-request-timestamp': String(timestampSec), 'x-slack-signature': slackSignature(SIGNING_SECRET, timestampSec, body) };
}

const slack = (body: string, headers: Record<string, string>) => rawRequest(edge.url, { method: 'POST', path: '/slack/events', headers, body });

describe('finding 1: malformed URLs are answered, never thrown', () => {
  test.each([
    ['//', [200, 404]],
    ['//evil.example/x', [404]],
    ['/oauth/callback/%E0%A4%A', [400]],
    ['/oauth/callback/okta?state=%00&code=x', [400]],
    ['/api/web/threads/%ZZ/events', [400]],
    ['/%', [400]],
  ])('GET %s answers %j and the process keeps serving', async (path, statuses) => {
    const response = await rawRequest(edge.url, { method: 'GET', path });
    expect(statuses).toContain(response.status);
    expect(response.headers['x-request-id']).toEqual(expect.any(String));
    expect(await readyz()).toBe(200);
  });
});

describe('finding 4: bodies are bounded while they stream, before authentication', () => {
  test('an unsigned Slack POST announcing 300 MB is refused on its headers, without reading the body', async () => {
    const response = await rawRequest(edge.url, { method: 'POST', path: '/slack/events', headers: { 'content-type': 'application/json', 'content-length': String(300 * 1024 * 1024) }, chunks: [Buffer.alloc(1024, 0x20)] });
    expect(response.status).toBe(401);
  });

  test('a Slack POST with well-formed signature headers announcing 300 MB gets 413 at once', async () => {
    const response = await rawRequest(edge.url, { method: 'POST', path: '/slack/events', headers: { ...signedHeaders('{}'), 'content-length': String(300 * 1024 * 1024) }, chunks: [Buffer.alloc(1024, 0x20)] });
    expect(response.status).toBe(413);
  });

  test.each([
    ['/slack/events', 1024 * 1024, signedHeaders('{}')],
    ['/api/messages', 512 * 1024, { 'content-type': 'application/json' }],
    ['/api/web/messages', 32 * 1024, { 'content-type': 'application/json' }],
  ])('a chunked body to %s is cut off with 413 soon after %d bytes', async (path, limit, headers) => {
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const chunks = Array.from({ length: 160 }, () => chunk); // 10 MB if nobody stops it
    const response = await rawRequest(edge.url, { method: 'POST', path, headers: { ...headers, 'transfer-encoding': 'chunked' }, chunks });
    expect(response.status).toBe(413);
    // What the client wrote before the answer: the limit plus what sockets buffer, never the 10 MB.
    expect(response.sent).toBeLessThan(limit + 4 * 1024 * 1024);
  });

  test('a declared length over the route limit is refused up front (Teams 512 KB, web 32 KB)', async () => {
    for (const [path, length] of [['/api/messages', 600 * 1024], ['/api/web/messages', 40 * 1024], ['/oauth/callback/okta', 64 * 1024]] as const) {
      const response = await rawRequest(edge.url, { method: path.startsWith('/oauth') ? 'GET' : 'POST', path, headers: { 'content-type': 'application/json', 'content-length': String(length) }, chunks: [Buffer.alloc(16, 0x20)] });
      expect({ path, status: response.status }).toEqual({ path, status: 413 });
    }
  });

  test('a client that sends half its body and hangs up leaves the process serving', async () => {
    const request = rawRequest(edge.url, { method: 'POST', path: '/api/messages', headers: { 'content-type': 'application/json', 'content-length': '5000' }, chunks: [Buffer.from('{"type":"mess')], timeoutMs: 300 });
    await expect(request).rejects.toThrow();
    expect(await readyz()).toBe(200);
  });
});

describe('finding 7: Teams tokens are validated for issuer and tenant', () => {
  const invoke = () => {
    const activity = { ...cardActionInvoke('http://127.0.0.1/', { kind: 'personal', id: 'a:dm-ada', entraTenantId: CONFIGURED_ENTRA }, { id: '29:ada', aadObjectId: 'aad-ada', name: 'Ada' }, 'approve', { unknown: true }), deliveryMode: 'expectReplies' } as Record<string, unknown>;
    // expectReplies without a serviceUrl needs no outbound Bot Connector token.
    delete activity.serviceUrl;
    return activity;
  };
  const post = (token: string) => postActivity(`${edge.url}/api/messages`, invoke(), { authorization: `Bearer ${token}` });

  test('a token of a configured Entra tenant passes', async () => {
    const response = await post(edge.teamsToken());
    expect(response.status).toBe(200);
  });

  test.each([
    ['issued by and for an Entra tenant nobody configured', { iss: `https://login.microsoftonline.com/${FOREIGN_ENTRA}/v2.0`, tid: FOREIGN_ENTRA }],
    ['issued by and for another tenant (v1 issuer)', { iss: `https://sts.windows.net/${FOREIGN_ENTRA}/`, tid: FOREIGN_ENTRA }],
    ['from an issuer that is not Entra', { iss: 'https://evil.example/' }],
    ['whose tid is not its issuer\'s tenant', { tid: FOREIGN_ENTRA }],
  ])('a token %s is refused with 401', async (_name, claims) => {
    const response = await post(edge.teamsToken(claims));
    expect(response.status).toBe(401);
  });

  test('a SingleTenant bot accepts only its own Entra tenant', async () => {
    const appId = '0b7f6a3e-5c1d-4e2f-9a8b-7c6d5e4f3a2b';
    const issuer = await startTokenIssuer(ENTRA_TENANT);
    const h = await startTeamsHarness({ production: true, auth: { mode: 'credentials', appId, appType: 'SingleTenant', password: 'unused', tenantId: ENTRA_TENANT, authority: issuer.authority } });
    try {
      const now = Math.floor(Date.now() / 1000);
      const token = (tenant: string, iss = `https://login.microsoftonline.com/${tenant}/v2.0`) => issuer.token({ iss, tid: tenant, aud: appId, iat: now - 10, nbf: now - 10, exp: now + 3600 });
      const activity = { ...cardActionInvoke(h.connector.url, { kind: 'personal', id: 'a:dm', entraTenantId: ENTRA_TENANT }, { id: '29:ada', aadObjectId: 'aad-ada', name: 'Ada' }, 'approve', { unknown: true }), deliveryMode: 'expectReplies' } as Record<string, unknown>;
      delete activity.serviceUrl;
      expect((await postActivity(h.messagesUrl, activity, { authorization: `Bearer ${token(ENTRA_TENANT)}` })).status).toBe(200);
      expect((await postActivity(h.messagesUrl, activity, { authorization: `Bearer ${token(FOREIGN_ENTRA)}` })).status).toBe(401);
      expect((await postActivity(h.messagesUrl, activity, { authorization: `Bearer ${token(ENTRA_TENANT, 'https://evil.example/')}` })).status).toBe(401);
    } finally {
      await h.close();
      await issuer.stop();
    }
  });
});

describe('finding 8: signed but odd payloads, the replay window, unstorable characters', () => {
  test('a signed JSON null is answered 400', async () => {
    expect((await slack('null', signedHeaders('null'))).status).toBe(400);
  });

  test('a signed block_actions without a user is not a 500', async () => {
    const payload = JSON.stringify({ type: 'block_actions', team: { id: 'T0EDGE' }, actions: [{ action_id: 'approve', value: 'x' }], trigger_id: '1.2.3', api_app_id: 'A0SWITCH' });
    const body = new URLSearchParams({ payload }).toString();
    const response = await slack(body, signedHeaders(body, undefined, 'application/x-www-form-urlencoded'));
    expect(response.status).toBe(400);
  });

  test.each([['10 minutes in the future', 600], ['10 minutes old', -600], ['6 minutes in the future', 360]])('a correctly signed request dated %s is refused', async (_name, offset) => {
    const body = JSON.stringify({ type: 'url_verification', challenge: 'c' });
    const response = await slack(body, signedHeaders(body, Math.floor(Date.now() / 1000) + offset));
    expect(response.status).toBe(401);
  });

  test('a correctly signed request inside the window is answered', async () => {
    const body = JSON.stringify({ type: 'url_verification', challenge: 'edge-challenge' });
    const response = await slack(body, signedHeaders(body, Math.floor(Date.now() / 1000) + 120));
    expect(response.status).toBe(200);
    expect(response.body).toContain('edge-challenge');
  });

  test('a message with NUL and other control characters is stored cleaned, and one with nothing else is refused clearly', async () => {
    const people = (await (await fetch(`${edge.url}/api/web/people`)).json()) as { people: { id: string; email: string }[] };
    const ada = people.people.find((p) => p.email === 'ada@acme.test')!.id;
    const send = (clientMessageId: string, text: string) => fetch(`${edge.url}/api/web/messages`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: ada, threadId: `thread-${clientMessageId}`, clientMessageId, text }),
    });
    const accepted = await send('nul-msg-0001', 'what is the status of my\u0000 laptop\u0007 ticket \ud800?');
    expect(accepted.status).toBe(202);
    const { runId } = (await accepted.json()) as { runId: string };
    const sql = new pg.Client({ connectionString: edge.product.databaseUrl });
    await sql.connect();
    try {
      const row = (await sql.query('SELECT input FROM runs WHERE id = $1', [runId])).rows[0] as { input: string };
      expect(row.input).toBe('what is the status of my laptop ticket \ufffd?');
    } finally {
      await sql.end();
    }
    const refused = await send('nul-msg-0002', '\u0000\u0000\u0001');
    expect(refused.status).toBeLessThan(500);
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(await refused.text()).toMatch(/characters I cannot read/);
  });

  test('an approver\'s comment with a NUL is stored cleaned, not a 500', async () => {
    const people = (await (await fetch(`${edge.url}/api/web/people`)).json()) as { people: { id: string; email: string }[] };
    const id = (email: string) => people.people.find((p) => p.email === email)!.id;
    const sent = await fetch(`${edge.url}/api/web/messages`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: id('ada@acme.test'), threadId: 'thread-nul-approval', clientMessageId: 'nul-msg-approval', text: 'please reset my okta password' }),
    });
    expect(sent.status).toBe(202);
    const { runId } = (await sent.json()) as { runId: string };
    const sql = new pg.Client({ connectionString: edge.product.databaseUrl });
    await sql.connect();
    try {
      const approval = await eventually(async () => (await sql.query('SELECT id FROM approvals WHERE run_id = $1', [runId])).rows[0] as { id: string } | undefined, 'the approval request');
      const decided = await fetch(`${edge.url}/api/web/approvals/${approval.id}`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ userId: id('grace@acme.test'), decision: 'deny', comment: 'not\u0000 now' }),
      });
      expect(decided.status).toBe(200);
      const row = (await sql.query('SELECT comment FROM approvals WHERE id = $1', [approval.id])).rows[0] as { comment: string };
      expect(row.comment).toBe('not now');
    } finally {
      await sql.end();
    }
  });
});
