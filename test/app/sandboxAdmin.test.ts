import { startSandboxes, type Sandboxes } from '../../src/app/sandboxes.js';

/**
 * Issue 12, deliverable 6: fault knobs and record views reachable over HTTP (only when enabled), lost
 * and late write responses, and the Okta System Log API, so fault and audit tests can drive a running
 * product from outside.
 */
let open: Sandboxes | undefined;
let closed: Sandboxes | undefined;

beforeAll(async () => {
  open = await startSandboxes({ portsStart: 0, admin: true });
  closed = await startSandboxes({ portsStart: 0 });
});

afterAll(async () => {
  await open?.stop();
  await closed?.stop();
});

const json = async (response: Response): Promise<unknown> => response.json() as Promise<unknown>;

test('the admin surface exists only when enabled', async () => {
  for (const url of Object.values(closed!.urls)) {
    expect((await fetch(`${url}/__sandbox/faults`)).status).toBe(404);
    expect((await fetch(`${url}/__sandbox/faults`, { method: 'PUT', body: '{"errorRate":1}', headers: { 'content-type': 'application/json' } })).status).toBe(404);
  }
  for (const url of Object.values(open!.urls)) {
    expect(await json(await fetch(`${url}/__sandbox/faults`))).toMatchObject({ errorRate: 0, latencyMs: 0, lostWriteRate: 0, lateWriteRate: 0 });
    expect(await json(await fetch(`${url}/__sandbox/records`))).toEqual(expect.any(Object));
  }
  const refused = await fetch(`${open!.urls.servicenow}/__sandbox/faults`, { method: 'PUT', body: '{"errorRate":2}', headers: { 'content-type': 'application/json' } });
  expect(refused.status).toBe(400);
  expect(await json(refused)).toMatchObject({ error: expect.stringContaining('errorRate') });
});

test('a lost write response: the write is applied, the answer never arrives, and the record view shows it', async () => {
  const sn = open!.servicenow;
  const base = open!.urls.servicenow;
  const set = await fetch(`${base}/__sandbox/faults`, { method: 'PUT', body: JSON.stringify({ lostWriteRate: 1, pathPrefix: '/api/now/table/incident' }), headers: { 'content-type': 'application/json' } });
  expect(await json(set)).toMatchObject({ lostWriteRate: 1, pathPrefix: '/api/now/table/incident' });
  const { accessToken } = sn.issueTokenFor('ada@acme.test');
  const before = ((await json(await fetch(`${base}/__sandbox/records/incident`))) as unknown[]).length;
  await expect(fetch(`${base}/api/now/table/incident`, {
    method: 'POST', headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ short_description: 'lost answer', correlation_id: 'lost-1' }),
  })).rejects.toThrow();
  const incidents = (await json(await fetch(`${base}/__sandbox/records/incident`))) as { correlation_id?: string }[];
  expect(incidents).toHaveLength(before + 1);
  expect(incidents.some((i) => i.correlation_id === 'lost-1')).toBe(true);

  await fetch(`${base}/__sandbox/faults`, { method: 'PUT', body: JSON.stringify({ lostWriteRate: 0, lateWriteRate: 1, lateWriteMs: 800 }), headers: { 'content-type': 'application/json' } });
  await expect(fetch(`${base}/api/now/table/incident`, {
    method: 'POST', headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ short_description: 'late answer', correlation_id: 'late-1' }), signal: AbortSignal.timeout(200),
  })).rejects.toThrow();
  const after = (await json(await fetch(`${base}/__sandbox/records/incident`))) as { correlation_id?: string }[];
  expect(after.some((i) => i.correlation_id === 'late-1')).toBe(true);
  expect(await json(await fetch(`${base}/__sandbox/faults`, { method: 'DELETE' }))).toEqual(expect.not.objectContaining({ pathPrefix: expect.anything() }));
});

test('the Okta sandbox serves the System Log API for what happened', async () => {
  const okta = open!.okta;
  const base = open!.urls.okta;
  const alan = okta.user('alan@acme.test');
  const headers = { authorization: `SSWS ${okta.serviceToken}`, accept: 'application/json' };
  const reset = await fetch(`${base}/api/v1/users/${alan.id}/lifecycle/reset_password?sendEmail=false`, { method: 'POST', headers });
  expect(reset.status).toBe(200);
  const logs = (await json(await fetch(`${base}/api/v1/logs?filter=${encodeURIComponent(`eventType eq "user.account.reset_password" and target.id eq "${alan.id}"`)}`, { headers }))) as Record<string, unknown>[];
  expect(logs).toHaveLength(1);
  expect(logs[0]).toMatchObject({ eventType: 'user.account.reset_password', outcome: { result: 'SUCCESS' }, target: [{ id: alan.id, alternateId: alan.profile.login }], actor: { type: 'User' } });
  expect(logs[0]!['uuid']).toMatch(/^[0-9a-f-]{36}$/);
  expect((await fetch(`${base}/api/v1/logs?filter=bogus`, { headers })).status).toBe(400);
  expect((await fetch(`${base}/api/v1/logs`)).status).toBe(401);
  const events = (await json(await fetch(`${base}/__sandbox/records/events`))) as { type: string }[];
  expect(events.some((e) => e.type === 'user.account.reset_password')).toBe(true);
});
