/**
 * Issue 12, deliverable 7 (optional delegation) through the whole product: Grace sets "out of
 * office, Alan decides for me until tomorrow" in the web playground; Ada's password reset then asks
 * Alan instead of Grace. Bad input gets a clear error.
 */
import pg from 'pg';
import { eventually, startProduct, type RunningProduct } from '../../app/support/product.js';

let product: RunningProduct;
let db: pg.Client;
const ids = new Map<string, string>();

beforeAll(async () => {
  product = await startProduct({ env: {} });
  db = new pg.Client({ connectionString: product.databaseUrl });
  await db.connect();
  for (const row of (await db.query<{ id: string; email: string }>(`SELECT id, email FROM users WHERE tenant_id = 'acme'`)).rows) ids.set(row.email, row.id);
}, 120_000);

afterAll(async () => {
  await db?.end();
  await product?.close();
});

const call = (method: string, body: unknown) => fetch(`${product.url}/api/web/delegation`, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const errorOf = async (response: Response) => ({ status: response.status, ...((await response.json()) as { error: { code: string; message: string } }).error });

test('an approver names a delegate in the playground; a request made meanwhile goes to the delegate', async () => {
  const grace = ids.get('grace@acme.test')!;
  const tomorrow = new Date(Date.now() + 24 * 60 * 60 * 1000).toISOString();
  expect(await errorOf(await call('PUT', { userId: grace, delegateEmail: 'nobody@acme.test', endsAt: tomorrow }))).toMatchObject({ status: 404, code: 'not_found' });
  expect(await errorOf(await call('PUT', { userId: grace, delegateEmail: 'grace@acme.test', endsAt: tomorrow }))).toMatchObject({ status: 400, message: 'Name someone else than yourself as your delegate.' });
  expect(await errorOf(await call('PUT', { userId: grace, delegateEmail: 'not an email', endsAt: tomorrow }))).toMatchObject({ status: 400, code: 'invalid_input' });
  const set = await call('PUT', { userId: grace, delegateEmail: 'alan@acme.test', endsAt: tomorrow });
  expect(set.status).toBe(200);
  expect(((await set.json()) as { delegation: { delegate: { email: string } } }).delegation.delegate.email).toBe('alan@acme.test');

  const ada = ids.get('ada@acme.test')!;
  const sent = await fetch(`${product.url}/api/web/messages`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId: ada, threadId: 'delegation-thread-1', clientMessageId: `m${Date.now()}deleg`, text: 'reset my okta password' }),
  });
  expect(sent.status).toBeLessThan(300);
  const approval = await eventually(async () => (await db.query<{ approver_ids: string[] }>(`SELECT approver_ids FROM approvals WHERE requester_id = $1`, [ada])).rows[0], 'the approval request', 30_000);
  expect(approval.approver_ids).toContain(ids.get('alan@acme.test'));
  expect(approval.approver_ids).not.toContain(grace);

  expect(await (await call('DELETE', { userId: grace })).json()).toEqual({ cleared: 1 });
});
