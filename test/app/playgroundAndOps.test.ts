import { eventually } from './support/product.js';
import { useProduct } from './support/productAccess.js';
import { BREAK_GLASS, breakGlassLogin, ssoSignIn } from './support/signIn.js';

// One product instance (real Postgres, embedded queue/cache) for the playground's input checks and
// the operations view's login and tenant scoping.
const env = useProduct();

const post = (path: string, body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  fetch(`${env.product.url}${path}`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });

async function errorOf(response: Response): Promise<{ status: number; code: string; message: string }> {
  const body = (await response.json()) as { error: { code: string; message: string } };
  return { status: response.status, ...body.error };
}

async function runCount(): Promise<number> {
  return Number((await env.sql.query('SELECT count(*)::int AS n FROM runs')).rows[0].n);
}

describe('playground input', () => {
  const valid = () => ({ userId: env.people.ada, threadId: 'thread-input-1', clientMessageId: `m${Date.now()}abc`, text: 'show my open tickets' });

  test('malformed and oversized messages are refused with a clear error and start nothing', async () => {
    const before = await runCount();
    expect(await errorOf(await post('/api/web/messages', '{not json'))).toEqual({ status: 400, code: 'invalid_json', message: 'The request body is not valid JSON.' });
    expect(await errorOf(await post('/api/web/messages', { ...valid(), text: '   ' }))).toMatchObject({ status: 400, code: 'invalid_input', message: 'The message is empty.' });
    expect(await errorOf(await post('/api/web/messages', { ...valid(), text: 'x'.repeat(4001) }))).toMatchObject({ status: 400, code: 'invalid_input', message: 'Messages are limited to 4000 characters.' });
    expect(await errorOf(await post('/api/web/messages', { ...valid(), text: 'x'.repeat(40_000) }))).toMatchObject({ status: 413, code: 'payload_too_large' });
    expect(await errorOf(await post('/api/web/messages', { ...valid(), userId: 'not-a-uuid' }))).toMatchObject({ status: 400, code: 'invalid_input', message: 'Choose a person first.' });
    expect(await errorOf(await post('/api/web/messages', { ...valid(), threadId: '../../etc' }))).toMatchObject({ status: 400, message: 'The thread id is not valid.' });
    expect(await errorOf(await post('/api/web/messages', { ...valid(), userId: '00000000-0000-4000-8000-000000000000' }))).toMatchObject({ status: 403, code: 'unknown_user' });
    expect(await errorOf(await post('/api/web/messages', JSON.stringify(valid()), { 'content-type': 'text/plain' }))).toMatchObject({ status: 415 });
    expect(await errorOf(await post('/api/web/approvals/not-an-id', { userId: env.people.linus, decision: 'maybe' }))).toMatchObject({ status: 400, message: 'The decision must be "approve" or "deny".' });
    expect(await runCount()).toBe(before);
  });

  test('a valid message is accepted once; the same client message id again is a duplicate', async () => {
    const message = valid();
    const first = await post('/api/web/messages', message);
    expect(first.status).toBe(202);
    const { runId } = (await first.json()) as { runId: string };
    expect((await (await post('/api/web/messages', message)).json())).toEqual({ status: 'duplicate' });
    await eventually(async () => (await env.sql.query('SELECT status FROM runs WHERE id = $1', [runId])).rows[0]?.status === 'completed', 'the run to complete');
  });

  test('an approval decided by the requester is refused, and by an approver counts once', async () => {
    const sent = await post('/api/web/messages', { ...valid(), threadId: 'thread-approve', text: 'please reset my okta password' });
    const { runId } = (await sent.json()) as { runId: string };
    const approvalId = await eventually(async () => (await env.sql.query('SELECT id FROM approvals WHERE run_id = $1', [runId])).rows[0]?.id as string | undefined, 'the approval request');
    expect(await errorOf(await post(`/api/web/approvals/${approvalId}`, { userId: env.people.ada, decision: 'approve' }))).toMatchObject({ status: 409, code: 'requester_cannot_approve' });
    expect(await errorOf(await post(`/api/web/approvals/${approvalId}`, { userId: env.people.alan, decision: 'approve' }))).toMatchObject({ status: 409, code: 'not_eligible' });
    const inbox = (await (await fetch(`${env.product.url}/api/web/approvals?userId=${env.people.linus}`)).json()) as { approvals: { id: string }[] };
    expect(inbox.approvals.map((a) => a.id)).toContain(approvalId);
    expect((await post(`/api/web/approvals/${approvalId}`, { userId: env.people.linus, decision: 'deny' })).status).toBe(200);
    expect(await errorOf(await post(`/api/web/approvals/${approvalId}`, { userId: env.people.grace, decision: 'approve' }))).toMatchObject({ status: 409, code: 'already_decided' });
  });
});

describe('operations view', () => {
  const login = (email: string, password: string) => breakGlassLogin(env.product.url, { tenant: 'acme', email, password });
  const cookieOf = (response: Response): string => (response.headers.get('set-cookie') ?? '').split(';')[0]!;

  test('refuses every data route without a session, and a wrong password or a non-admin', async () => {
    for (const path of ['/ops/api/me', '/ops/api/runs', '/ops/api/approvals', '/ops/api/audit', '/ops/api/usage', '/ops/api/dead-letters']) {
      expect((await fetch(`${env.product.url}${path}`)).status).toBe(401);
    }
    expect((await post('/ops/api/dead-letters/00000000-0000-4000-8000-000000000000/replay', {})).status).toBe(401);
    expect(await errorOf(await login('linus@acme.test', 'wrong'))).toMatchObject({ status: 401, code: 'invalid_credentials' });
    expect(await errorOf(await login('ada@acme.test', BREAK_GLASS.password))).toMatchObject({ status: 401, code: 'invalid_credentials' });
    expect((await fetch(`${env.product.url}/ops/api/runs`, { headers: { cookie: 'sb_session=acme.forgedforgedforgedforgedforgedforge' } })).status).toBe(401);
    // Signed in, but not an administrator: the playground may use the session, the operations view may not.
    const ada = await ssoSignIn(env.product.url, 'acme', 'ada@acme.test');
    expect(await errorOf(await fetch(`${env.product.url}/ops/api/runs`, { headers: { cookie: ada.cookie } }))).toMatchObject({ status: 403, code: 'not_admin' });
  });

  test('an admin sees only their tenant, with an HttpOnly SameSite session, and can replay a dead letter', async () => {
    // Another tenant's rows written straight into the store: the view must never show them.
    const other = (await env.sql.query(`INSERT INTO users (tenant_id, email, display_name, roles) VALUES ('globex', 'eve@globex.test', 'Eve', '{admin}') RETURNING id`)).rows[0].id as string;
    const conv = (await env.sql.query(`INSERT INTO conversations (tenant_id, channel, external_id, address) VALUES ('globex', 'web', 'x', '{}') RETURNING id`)).rows[0].id as string;
    const otherRun = (await env.sql.query(`INSERT INTO runs (tenant_id, conversation_id, user_id, channel, delivery_id, input, reply, caps) VALUES ('globex', $1, $2, 'web', 'd1', 'globex secret request', '{}', '{}') RETURNING id`, [conv, other])).rows[0].id as string;
    const otherDead = (await env.sql.query(`INSERT INTO dead_letters (tenant_id, run_id, reason, error, attempts) VALUES ('globex', $1, 'attempts_exhausted', '{}', 3) RETURNING id`, [otherRun])).rows[0].id as string;

    const response = await login('linus@acme.test', BREAK_GLASS.password);
    expect(response.status).toBe(200);
    const setCookie = response.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    const cookie = cookieOf(response);
    const get = async (path: string) => (await fetch(`${env.product.url}${path}`, { headers: { cookie } })).json() as Promise<Record<string, unknown>>;

    expect(await get('/ops/api/me')).toMatchObject({ tenantId: 'acme', email: 'linus@acme.test' });
    const { runs } = (await get('/ops/api/runs')) as { runs: { id: string; input: string }[] };
    expect(runs.length).toBeGreaterThan(0);
    expect(runs.map((r) => r.id)).not.toContain(otherRun);
    expect((await fetch(`${env.product.url}/ops/api/runs/${otherRun}`, { headers: { cookie } })).status).toBe(404);
    const detail = (await get(`/ops/api/runs/${runs[0]!.id}`)) as { run: { id: string }; toolCalls: unknown[] };
    expect(detail.run.id).toBe(runs[0]!.id);
    const usage = (await get('/ops/api/usage')) as { caps: { perUserDay: { tokens: number } } };
    expect(usage.caps.perUserDay.tokens).toBe(500000);
    const audit = (await get('/ops/api/audit')) as { entries: { action: string }[] };
    expect(audit.entries.map((e) => e.action)).toContain('auth.signed_in');
    const decided = (await get('/ops/api/approvals?status=decided')) as { approvals: { status: string }[] };
    expect(decided.approvals.some((a) => a.status === 'denied')).toBe(true);

    // A dead letter of this tenant is replayed once; the other tenant's cannot be touched.
    const runId = runs[0]!.id;
    const dead = (await env.sql.query(`INSERT INTO dead_letters (tenant_id, run_id, reason, error, attempts) VALUES ('acme', $1, 'attempts_exhausted', '{}', 3) RETURNING id`, [runId])).rows[0].id as string;
    const { deadLetters } = (await get('/ops/api/dead-letters')) as { deadLetters: { id: string }[] };
    expect(deadLetters.map((d) => d.id)).toEqual([dead]);
    const { csrfToken } = (await get('/ops/api/me')) as { csrfToken: string };
    const replay = (id: string) => fetch(`${env.product.url}/ops/api/dead-letters/${id}/replay`, { method: 'POST', headers: { cookie, 'content-type': 'application/json', 'x-csrf-token': csrfToken }, body: '{}' });
    expect((await replay(otherDead)).status).toBe(404);
    expect((await replay(dead)).status).toBe(200);
    expect((await replay(dead)).status).toBe(404);
    expect((await env.sql.query('SELECT replayed_at FROM dead_letters WHERE id = $1', [otherDead])).rows[0].replayed_at).toBeNull();

    const out = await post('/auth/logout', {}, { cookie, 'content-type': 'application/json', 'x-csrf-token': csrfToken });
    expect(out.status).toBe(200);
    expect((await fetch(`${env.product.url}/ops/api/me`, { headers: { cookie } })).status).toBe(401);
  });
});
