/**
 * Issue 16: SCIM 2.0 conformance of /scim/v2 against the whole product (RFC 7643/7644): the bearer
 * token names the tenant, discovery endpoints, status codes and scimTypes for every refusal,
 * filtering and pagination.
 */
import { ENTERPRISE_URN, filter, GROUP_URN, PATCH_URN, scimClient, startScimProduct, USER_URN, type ScimClient, type ScimProduct } from './support.js';

let running: ScimProduct;
let acme: ScimClient;
let globex: ScimClient;

beforeAll(async () => {
  running = await startScimProduct();
  acme = scimClient(running.product.url, running.acmeToken);
  globex = scimClient(running.product.url, running.globexToken);
}, 120_000);
afterAll(async () => { await running?.close(); });

function user(userName: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { schemas: [USER_URN], userName, name: { givenName: 'Test', familyName: userName.split('@')[0] }, emails: [{ value: userName, type: 'work', primary: true }], active: true, ...extra };
}

describe('authentication', () => {
  test('no token, a wrong token, or a malformed header get 401 with a SCIM error', async () => {
    for (const client of [scimClient(running.product.url, undefined), scimClient(running.product.url, 'scim_not-the-right-token-at-all-0000')]) {
      const res = await client('GET', '/Users');
      expect(res.status).toBe(401);
      expect(res.body.schemas).toEqual(['urn:ietf:params:scim:api:messages:2.0:Error']);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
    const basic = await fetch(`${running.product.url}/scim/v2/Users`, { headers: { authorization: `Basic ${Buffer.from(`x:${running.acmeToken}`).toString('base64')}` } });
    expect(basic.status).toBe(401);
  });

  test('a write without a valid token is refused before its body is read, and creates nothing', async () => {
    const res = await scimClient(running.product.url, 'scim_wrong-token-wrong-token-wrong')('POST', '/Users', user('intruder@acme.test'));
    expect(res.status).toBe(401);
    const found = await acme('GET', `/Users?filter=${filter('userName eq "intruder@acme.test"')}`);
    expect(found.body.totalResults).toBe(0);
  });

  test("another tenant's token can neither see nor change this tenant's people or groups", async () => {
    const created = await acme('POST', '/Users', user('isolated@acme.test'));
    expect(created.status).toBe(201);
    const id = created.body.id!;
    expect((await globex('GET', `/Users/${id}`)).status).toBe(404);
    expect((await globex('PATCH', `/Users/${id}`, { schemas: [PATCH_URN], Operations: [{ op: 'replace', path: 'active', value: false }] })).status).toBe(404);
    expect((await globex('DELETE', `/Users/${id}`)).status).toBe(404);
    expect((await globex('PUT', `/Users/${id}`, user('isolated@acme.test', { active: false }))).status).toBe(404);
    const list = await globex('GET', '/Users');
    expect((list.body.Resources as { userName: string }[]).map((u) => u.userName)).not.toContain('isolated@acme.test');
    // A globex group cannot take an acme person as member.
    const group = await globex('POST', '/Groups', { schemas: [GROUP_URN], displayName: 'Globex staff', members: [{ value: id }] });
    expect(group.status).toBe(400);
    expect(group.body.scimType).toBe('invalidValue');
    expect((await acme('GET', `/Users/${id}`)).body.active).toBe(true);
  });
});

describe('discovery', () => {
  test('ServiceProviderConfig says what is supported', async () => {
    const res = await acme('GET', '/ServiceProviderConfig');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/scim\+json/);
    expect(res.body).toMatchObject({ patch: { supported: true }, bulk: { supported: false }, filter: { supported: true, maxResults: 200 }, changePassword: { supported: false }, sort: { supported: false }, etag: { supported: false } });
    expect((res.body.authenticationSchemes as { type: string }[])[0]?.type).toBe('oauthbearertoken');
  });

  test('ResourceTypes and Schemas list User (with the enterprise extension) and Group', async () => {
    const types = await acme('GET', '/ResourceTypes');
    expect((types.body.Resources as { id: string }[]).map((r) => r.id)).toEqual(['User', 'Group']);
    expect((await acme('GET', '/ResourceTypes/User')).body.schemaExtensions).toEqual([{ schema: ENTERPRISE_URN, required: false }]);
    const schemas = await acme('GET', '/Schemas');
    expect((schemas.body.Resources as { id: string }[]).map((r) => r.id)).toEqual([USER_URN, GROUP_URN, ENTERPRISE_URN]);
    const enterprise = await acme('GET', `/Schemas/${ENTERPRISE_URN}`);
    expect((enterprise.body.attributes as { name: string }[]).map((a) => a.name)).toEqual(expect.arrayContaining(['manager', 'department']));
    expect((await acme('GET', '/Schemas/urn:nope')).status).toBe(404);
    expect((await acme('POST', '/ServiceProviderConfig', {})).status).toBe(405);
  });
});

describe('errors carry RFC status codes and scimTypes', () => {
  test.each([
    ['malformed JSON', 'POST', '/Users', '{"userName":', 400, 'invalidSyntax'],
    ['a user without userName', 'POST', '/Users', { schemas: [USER_URN], emails: [{ value: 'x@acme.test' }] }, 400, 'invalidValue'],
    ['a user without any email', 'POST', '/Users', { schemas: [USER_URN], userName: 'no-email' }, 400, 'invalidValue'],
    ['an unsupported filter', 'GET', `/Users?filter=${filter('title co "x"')}`, undefined, 400, 'invalidFilter'],
    ['a filter on an unsupported attribute', 'GET', `/Users?filter=${filter('title eq "x"')}`, undefined, 400, 'invalidFilter'],
    ['a PatchOp with an unknown op', 'PATCH', '/Users/00000000-0000-4000-8000-000000000000', { schemas: [PATCH_URN], Operations: [{ op: 'move', path: 'active' }] }, 400, 'invalidSyntax'],
    ['a group without displayName', 'POST', '/Groups', { schemas: [GROUP_URN] }, 400, 'invalidValue'],
  ])('%s', async (_name, method, path, body, status, scimType) => {
    const res = await acme(method, path, body);
    expect(res.status).toBe(status);
    expect(res.body).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: String(status), scimType });
  });

  test('unknown ids are 404, Bulk and /Me are 501, a wrong method is 405', async () => {
    for (const path of ['/Users/00000000-0000-4000-8000-000000000000', '/Users/not-a-uuid', '/Groups/00000000-0000-4000-8000-000000000000', '/Nope']) {
      const res = await acme('GET', path);
      expect(res.status).toBe(404);
      expect(res.body.status).toBe('404');
    }
    expect((await acme('POST', '/Bulk', { schemas: [] })).status).toBe(501);
    expect((await acme('GET', '/Me')).status).toBe(501);
    expect((await acme('DELETE', '/Users')).status).toBe(405);
  });

  test('a duplicate userName or group name is 409 uniqueness', async () => {
    expect((await acme('POST', '/Users', user('dup@acme.test'))).status).toBe(201);
    const again = await acme('POST', '/Users', user('DUP@acme.test'));
    expect(again.status).toBe(409);
    expect(again.body.scimType).toBe('uniqueness');
    expect((await acme('POST', '/Groups', { schemas: [GROUP_URN], displayName: 'Sales' })).status).toBe(201);
    const group = await acme('POST', '/Groups', { schemas: [GROUP_URN], displayName: 'sales' });
    expect(group.status).toBe(409);
    expect(group.body.scimType).toBe('uniqueness');
  });

  test('a manager that is not a user of the tenant is refused', async () => {
    const res = await acme('POST', '/Users', user('orphan@acme.test', { [ENTERPRISE_URN]: { manager: { value: '00000000-0000-4000-8000-000000000000' } } }));
    expect(res.status).toBe(400);
    expect(res.body.scimType).toBe('invalidValue');
  });
});

describe('filtering and pagination', () => {
  beforeAll(async () => {
    for (let i = 0; i < 5; i += 1) expect((await acme('POST', '/Users', user(`page${i}@acme.test`, { externalId: `ext-page-${i}` }))).status).toBe(201);
  });

  test('userName eq is case-insensitive, externalId eq is exact', async () => {
    const byName = await acme('GET', `/Users?filter=${filter('userName eq "PAGE3@acme.test"')}`);
    expect(byName.body).toMatchObject({ totalResults: 1, startIndex: 1, itemsPerPage: 1 });
    expect((byName.body.Resources as { userName: string }[])[0]?.userName).toBe('page3@acme.test');
    const byExternal = await acme('GET', `/Users?filter=${filter('externalId eq "ext-page-2"')}`);
    expect((byExternal.body.Resources as { userName: string }[]).map((u) => u.userName)).toEqual(['page2@acme.test']);
    expect((await acme('GET', `/Users?filter=${filter('externalId eq "EXT-PAGE-2"')}`)).body.totalResults).toBe(0);
  });

  test('startIndex and count page through everyone exactly once', async () => {
    const all = await acme('GET', '/Users');
    const total = all.body.totalResults as number;
    expect(total).toBeGreaterThanOrEqual(5);
    const seen: string[] = [];
    for (let start = 1; start <= total; start += 2) {
      const page = await acme('GET', `/Users?startIndex=${start}&count=2`);
      expect(page.body.totalResults).toBe(total);
      expect(page.body.startIndex).toBe(start);
      seen.push(...(page.body.Resources as { id: string }[]).map((u) => u.id));
    }
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
    const none = await acme('GET', '/Users?count=0');
    expect(none.body).toMatchObject({ totalResults: total, itemsPerPage: 0, Resources: [] });
  });
});

describe('limits', () => {
  test('an oversized user representation is refused with 413 and stores nothing', async () => {
    const res = await acme('POST', '/Users', user('huge@acme.test', { title: 'x'.repeat(200), nickName: 'y'.repeat(200), 'urn:example:big': { blob: 'z'.repeat(70_000) } }));
    expect(res.status).toBe(413);
    expect((await acme('GET', `/Users?filter=${filter('userName eq "huge@acme.test"')}`)).body.totalResults).toBe(0);
  });
});

describe('concurrency', () => {
  test('the same person pushed twice at once is created once: one 201, the other 409', async () => {
    const results = await Promise.all([0, 1, 2, 3].map(() => acme('POST', '/Users', user('twice@acme.test'))));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
    expect(results.filter((r) => r.status === 409).every((r) => r.body.scimType === 'uniqueness')).toBe(true);
    expect((await acme('GET', `/Users?filter=${filter('userName eq "twice@acme.test"')}`)).body.totalResults).toBe(1);
  });
});
