import { eventually } from './support/product.js';
import { useProduct } from './support/productAccess.js';

// The whole product with nobody linked (no demo autolink): the link an employee gets in chat must
// be finished in the browser that opened it, by the employee's own account, or nothing is stored.
const env = useProduct({ env: { DEMO_AUTOLINK: 'false' } });

const postJson = (path: string, body: unknown) =>
  fetch(`${env.product.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** The browser's two steps on our origin: the landing page, then "Continue" (sets the HttpOnly link cookie). */
async function openInBrowser(linkUrl: string): Promise<{ authorizeUrl: string; cookie: string }> {
  const link = new URL(linkUrl);
  expect(link.origin).toBe(new URL(env.product.url).origin);
  expect(link.pathname).toBe('/link/start');
  const landing = await fetch(linkUrl);
  expect(landing.status).toBe(200);
  const posted = await fetch(`${env.product.url}/link/start`, {
    method: 'POST', redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ t: link.searchParams.get('t')! }),
  });
  expect(posted.status).toBe(303);
  return { authorizeUrl: posted.headers.get('location')!, cookie: posted.headers.get('set-cookie')!.split(';')[0]! };
}

/** Signs in at a sandbox as `email` (its consent picker's link) and returns our callback URL. */
async function signInAt(system: 'okta' | 'jira', authorizeUrl: string, email: string): Promise<string> {
  const url = new URL(authorizeUrl);
  expect(url.origin).toBe(new URL(env.product.app.sandboxes!.urls[system]).origin);
  url.searchParams.set('login_hint', email);
  const response = await fetch(url, { redirect: 'manual' });
  expect(response.status).toBe(302);
  return response.headers.get('location')!;
}

async function linkUrlOf(runId: string): Promise<string> {
  const payload = await eventually(async () => (await env.sql.query(`SELECT payload FROM run_events WHERE run_id = $1 AND type = 'account.link_required' ORDER BY seq DESC LIMIT 1`, [runId])).rows[0]?.payload as Record<string, unknown> | undefined, 'the link request');
  const url = (payload['url'] ?? (payload['body'] as Record<string, unknown> | undefined)?.['url']) as string;
  expect(typeof url).toBe('string');
  return url;
}

const accounts = async (): Promise<number> => Number((await env.sql.query(`SELECT count(*)::int AS n FROM connector_accounts WHERE connector_id = 'okta'`)).rows[0].n);
const runStatus = async (runId: string): Promise<string> => (await env.sql.query('SELECT status FROM runs WHERE id = $1', [runId])).rows[0].status as string;

test('a link finished elsewhere or by someone else stores nothing; the employee\'s own link lets the Okta reset act on their own account only', async () => {
  const okta = env.product.app.sandboxes!.okta;
  const alanBefore = okta.user('alan@acme.test').status;
  const sent = await postJson('/api/web/messages', { userId: env.people.ada, threadId: 'thread-link-1', clientMessageId: 'link-msg-0001', text: 'please reset my okta password' });
  expect(sent.status).toBe(202);
  const { runId } = (await sent.json()) as { runId: string };
  const link = await linkUrlOf(runId);
  await eventually(async () => (await runStatus(runId)) === 'awaiting_link', 'the run to wait for the link');

  // (a) Ada opens the link; the provider's answer is brought back by a browser without her cookie.
  const ada = await openInBrowser(link);
  const otherBrowser = await fetch(await signInAt('okta', ada.authorizeUrl, 'ada@acme.test'));
  expect(otherBrowser.status).toBe(400);
  expect(await otherBrowser.text()).toContain('finished in a different browser');
  expect(await accounts()).toBe(0);

  // (b) In Ada's browser, someone signs in to Okta as Alan.
  const asAlan = await fetch(await signInAt('okta', ada.authorizeUrl, 'alan@acme.test'), { headers: { cookie: ada.cookie } });
  expect(asAlan.status).toBe(403);
  expect(await asAlan.text()).toContain('You signed in to Okta as alan@acme.test, but you are ada@acme.test in Switchboard');
  expect(await accounts()).toBe(0);
  const refused = (await env.sql.query(`SELECT actor_user_id, data FROM audit_log WHERE action = 'connector_account.link_refused'`)).rows;
  expect(refused).toEqual([{ actor_user_id: env.people.ada, data: expect.objectContaining({ reason: 'identity_mismatch', signedInAs: 'alan@acme.test' }) }]);
  expect(await runStatus(runId)).toBe('awaiting_link');

  // (c) A fresh link, opened and finished by Ada as herself, resumes the run end to end.
  const fresh = (await (await postJson('/api/web/links', { userId: env.people.ada, connectorId: 'okta' })).json()) as { url: string };
  const again = await openInBrowser(fresh.url);
  const done = await fetch(await signInAt('okta', again.authorizeUrl, 'ada@acme.test'), { headers: { cookie: again.cookie } });
  expect(done.status).toBe(200);
  expect(await accounts()).toBe(1);
  const approvalId = await eventually(async () => (await env.sql.query('SELECT id FROM approvals WHERE run_id = $1', [runId])).rows[0]?.id as string | undefined, 'the approval request');
  expect((await postJson(`/api/web/approvals/${approvalId}`, { userId: env.people.linus, decision: 'approve' })).status).toBe(200);
  await eventually(async () => (await runStatus(runId)) === 'completed', 'the run to complete');
  // The service-token reset landed on Ada's verified Okta account, never on Alan's.
  expect(okta.user('ada@acme.test').status).toBe('RECOVERY');
  expect(okta.user('alan@acme.test').status).toBe(alanBefore);
  const acting = (await env.sql.query(`SELECT acting_identity FROM tool_calls WHERE run_id = $1 AND tool LIKE '%reset_my_password'`, [runId])).rows;
  expect(acting).toEqual([{ acting_identity: expect.stringContaining(okta.user('ada@acme.test').id) }]);
});

test('Jira: the account is checked with /myself; one whose email Jira hides cannot be verified and is refused', async () => {
  const jira = env.product.app.sandboxes!.jira;
  const connect = async (userId: string, email: string): Promise<Response> => {
    const { url } = (await (await postJson('/api/web/links', { userId, connectorId: 'jira' })).json()) as { url: string };
    const browser = await openInBrowser(url);
    return fetch(await signInAt('jira', browser.authorizeUrl, email), { headers: { cookie: browser.cookie } });
  };
  const jiraAccount = async (userId: string) => (await env.sql.query(`SELECT external_user_id FROM connector_accounts WHERE connector_id = 'jira' AND user_id = $1`, [userId])).rows[0] as { external_user_id: string } | undefined;

  const alan = await connect(env.people.alan!, 'alan@acme.test');
  expect(alan.status).toBe(200);
  expect((await jiraAccount(env.people.alan!))?.external_user_id).toBe(jira.state.userByEmail('alan@acme.test')!.accountId);

  jira.hideEmail('grace@acme.test');
  const grace = await connect(env.people.grace!, 'grace@acme.test');
  expect(grace.status).toBe(403);
  expect(await grace.text()).toContain('Jira did not tell me the email address of the account you signed in with (Grace Hopper), so I could not check that it is yours (grace@acme.test)');
  expect(await jiraAccount(env.people.grace!)).toBeUndefined();
});
