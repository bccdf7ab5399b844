/**
 * Issue 16: replays of the request sequences Okta and Microsoft Entra ID send to a SCIM 2.0 endpoint,
 * written from their published provisioning guides (Okta "SCIM 2.0 protocol reference" / Okta
 * integration tests; Microsoft "Tutorial: Develop a sample SCIM endpoint" and "Known issues ... SCIM
 * 2.0 protocol compliance"), against the whole product: create, update, manager, groups, deactivate.
 */
import pg from 'pg';
import { ENTERPRISE_URN, filter, GROUP_URN, PATCH_URN, scimClient, startScimProduct, USER_URN, type ScimClient, type ScimProduct } from './support.js';

let running: ScimProduct;
let scim: ScimClient;
let db: pg.Client;

beforeAll(async () => {
  running = await startScimProduct();
  scim = scimClient(running.product.url, running.acmeToken);
  db = new pg.Client({ connectionString: running.product.databaseUrl });
  await db.connect();
}, 120_000);
afterAll(async () => {
  await db?.end();
  await running?.close();
});

async function row(id: string): Promise<{ email: string; display_name: string; manager_id: string | null; deactivated_at: Date | null; roles: string[]; approver_groups: string[]; source: string }> {
  const result = await db.query(`SELECT email, display_name, manager_id, deactivated_at, roles, approver_groups, source FROM users WHERE id = $1`, [id]);
  return result.rows[0];
}

describe('Okta', () => {
  let userId: string;
  let managerId: string;
  let groupId: string;

  test('checks the user does not exist, creates them (password ignored), reads them back', async () => {
    const lookup = await scim('GET', `/Users?filter=${filter('userName eq "test.user@acme.test"')}&startIndex=1&count=100`);
    expect(lookup.status).toBe(200);
    expect(lookup.body).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: 0, Resources: [] });
    const created = await scim('POST', '/Users', {
      schemas: [USER_URN], userName: 'test.user@acme.test', name: { givenName: 'Test', familyName: 'User' },
      emails: [{ primary: true, value: 'test.user@acme.test', type: 'work' }], displayName: 'Test User', locale: 'en-US',
      externalId: '00ujl29u0le5T6Aj10h7', groups: [], password: '1mz050nq', active: true,
    });
    expect(created.status).toBe(201);
    userId = created.body.id!;
    expect(created.headers.get('location')).toBe(`${running.product.url}/scim/v2/Users/${userId}`);
    expect(created.body).toMatchObject({ userName: 'test.user@acme.test', active: true, externalId: '00ujl29u0le5T6Aj10h7', displayName: 'Test User', meta: { resourceType: 'User' } });
    expect(JSON.stringify(created.body)).not.toContain('1mz050nq');
    const read = await scim('GET', `/Users/${userId}`);
    expect(read.status).toBe(200);
    expect(read.body.id).toBe(userId);
    expect(await row(userId)).toMatchObject({ email: 'test.user@acme.test', source: 'scim', roles: ['employee'], deactivated_at: null });
    const again = await scim('GET', `/Users?filter=${filter('userName eq "test.user@acme.test"')}&startIndex=1&count=100`);
    expect(again.body.totalResults).toBe(1);
  });

  test('updates the profile with PUT, manager and department included', async () => {
    const manager = await scim('POST', '/Users', { schemas: [USER_URN], userName: 'boss@acme.test', name: { givenName: 'Big', familyName: 'Boss' }, emails: [{ primary: true, value: 'boss@acme.test', type: 'work' }], active: true });
    managerId = manager.body.id!;
    const put = await scim('PUT', `/Users/${userId}`, {
      schemas: [USER_URN, ENTERPRISE_URN], id: userId, userName: 'test.user@acme.test', name: { givenName: 'Test', familyName: 'Renamed' },
      emails: [{ primary: true, value: 'test.user@acme.test', type: 'work' }], displayName: 'Test Renamed', active: true,
      [ENTERPRISE_URN]: { department: 'Network', manager: { value: managerId, displayName: 'Big Boss' } },
    });
    expect(put.status).toBe(200);
    expect(put.body[ENTERPRISE_URN]).toEqual({ department: 'Network', manager: { value: managerId, displayName: 'Big Boss', $ref: `${running.product.url}/scim/v2/Users/${managerId}` } });
    expect(await row(userId)).toMatchObject({ display_name: 'Test Renamed', manager_id: managerId });
  });

  test('pushes a group, renames it, adds and removes the member', async () => {
    const group = await scim('POST', '/Groups', { schemas: [GROUP_URN], displayName: 'Test SCIMv2', members: [] });
    expect(group.status).toBe(201);
    groupId = group.body.id!;
    expect((await scim('GET', `/Groups/${groupId}`)).body).toMatchObject({ displayName: 'Test SCIMv2', members: [] });
    const renamed = await scim('PATCH', `/Groups/${groupId}`, { schemas: [PATCH_URN], Operations: [{ op: 'replace', value: { id: groupId, displayName: 'IT Admins' } }] });
    expect(renamed.status).toBe(200);
    expect(renamed.body.displayName).toBe('IT Admins');
    const added = await scim('PATCH', `/Groups/${groupId}`, { schemas: [PATCH_URN], Operations: [{ op: 'add', path: 'members', value: [{ value: userId, display: 'test.user@acme.test' }] }] });
    expect(added.status).toBe(200);
    expect(added.body.members).toEqual([{ value: userId, display: 'Test Renamed', $ref: `${running.product.url}/scim/v2/Users/${userId}` }]);
    // "IT Admins" maps to the it_admin role and the it-admins approver group in this tenant.
    expect(await row(userId)).toMatchObject({ roles: ['approver', 'employee', 'it_admin'], approver_groups: ['it-admins'] });
    expect(((await scim('GET', `/Users/${userId}`)).body.groups as { display: string }[]).map((g) => g.display)).toEqual(['IT Admins']);
    const removed = await scim('PATCH', `/Groups/${groupId}`, { schemas: [PATCH_URN], Operations: [{ op: 'remove', path: `members[value eq "${userId}"]` }] });
    expect(removed.body.members).toEqual([]);
    expect(await row(userId)).toMatchObject({ roles: ['employee'], approver_groups: [] });
  });

  test('replaces a group with PUT (full member list), then deletes it', async () => {
    const put = await scim('PUT', `/Groups/${groupId}`, { schemas: [GROUP_URN], id: groupId, displayName: 'IT Admins', members: [{ value: userId }, { value: managerId }] });
    expect(put.status).toBe(200);
    expect((put.body.members as { value: string }[]).map((m) => m.value).sort()).toEqual([userId, managerId].sort());
    expect((await row(managerId)).approver_groups).toEqual(['it-admins']);
    expect((await scim('DELETE', `/Groups/${groupId}`)).status).toBe(204);
    expect((await scim('GET', `/Groups/${groupId}`)).status).toBe(404);
    expect((await row(managerId)).approver_groups).toEqual([]);
  });

  test('deactivates with a path-less replace, and reactivates', async () => {
    const off = await scim('PATCH', `/Users/${userId}`, { schemas: [PATCH_URN], Operations: [{ op: 'replace', value: { active: false } }] });
    expect(off.status).toBe(200);
    expect(off.body.active).toBe(false);
    expect((await row(userId)).deactivated_at).toBeInstanceOf(Date);
    expect((await scim('GET', `/Users/${userId}`)).body.active).toBe(false);
    const on = await scim('PATCH', `/Users/${userId}`, { schemas: [PATCH_URN], Operations: [{ op: 'replace', value: { active: true } }] });
    expect(on.body.active).toBe(true);
    expect(await row(userId)).toMatchObject({ deactivated_at: null, roles: ['employee'] });
    const audit = await db.query(`SELECT action FROM audit_log WHERE target_id = $1 ORDER BY id`, [userId]);
    expect(audit.rows.map((r: { action: string }) => r.action)).toEqual(expect.arrayContaining(['user.provisioned', 'user.manager_changed', 'user.deactivated', 'user.reactivated']));
  });
});

describe('Microsoft Entra ID', () => {
  let userId: string;
  let managerId: string;
  let groupId: string;
  const upn = 'Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee@acme.test';

  test('looks the user up by userName, then creates them with the enterprise extension', async () => {
    expect((await scim('GET', `/Users?filter=${filter(`userName eq "${upn}"`)}`)).body.totalResults).toBe(0);
    const manager = await scim('POST', '/Users', { schemas: [USER_URN], externalId: 'entra-manager', userName: 'entra.manager@acme.test', active: true, emails: [{ primary: true, type: 'work', value: 'entra.manager@acme.test' }], meta: { resourceType: 'User' }, name: { formatted: 'Entra Manager', familyName: 'Manager', givenName: 'Entra' }, roles: [] });
    expect(manager.status).toBe(201);
    managerId = manager.body.id!;
    const created = await scim('POST', '/Users', {
      schemas: [USER_URN, ENTERPRISE_URN], externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef', userName: upn, active: true,
      emails: [{ primary: true, type: 'work', value: 'Test_User_11bb11bb@testuser.acme.test' }], meta: { resourceType: 'User' },
      name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' }, roles: [],
      [ENTERPRISE_URN]: { department: 'Finance' },
    });
    expect(created.status).toBe(201);
    userId = created.body.id!;
    expect(created.body).toMatchObject({ userName: upn, displayName: 'givenName familyName', [ENTERPRISE_URN]: { department: 'Finance' } });
    expect((await row(userId)).email).toBe('test_user_11bb11bb@testuser.acme.test');
    const byExternal = await scim('GET', `/Users?filter=${filter('externalId eq "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef"')}`);
    expect((byExternal.body.Resources as { id: string }[]).map((u) => u.id)).toEqual([userId]);
  });

  test('PATCHes attributes with capitalised ops and value-filtered paths', async () => {
    const res = await scim('PATCH', `/Users/${userId}`, {
      schemas: [PATCH_URN],
      Operations: [
        { op: 'Replace', path: 'emails[type eq "work"].value', value: 'updated.email@acme.test' },
        { op: 'Replace', path: 'name.familyName', value: 'updatedFamilyName' },
        { op: 'Add', path: `${ENTERPRISE_URN}:department`, value: 'Engineering' },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body.emails).toEqual([{ primary: true, type: 'work', value: 'updated.email@acme.test' }]);
    expect((res.body.name as { familyName: string }).familyName).toBe('updatedFamilyName');
    expect((res.body[ENTERPRISE_URN] as { department: string }).department).toBe('Engineering');
    expect((await row(userId)).email).toBe('updated.email@acme.test');
  });

  test('PATCHes without a path, with dotted and extension keys in the value', async () => {
    const res = await scim('PATCH', `/Users/${userId}`, {
      schemas: [PATCH_URN],
      Operations: [{ op: 'Replace', value: { 'name.givenName': 'Grete', displayName: 'Grete Updated', [`${ENTERPRISE_URN}:department`]: 'Legal' } }],
    });
    expect(res.status).toBe(200);
    expect((res.body.name as { givenName: string }).givenName).toBe('Grete');
    expect((res.body[ENTERPRISE_URN] as { department: string }).department).toBe('Legal');
    expect((await row(userId)).display_name).toBe('Grete Updated');
  });

  test('sets the manager as a bare id on the extension path, and in the older "manager" array form', async () => {
    const res = await scim('PATCH', `/Users/${userId}`, { schemas: [PATCH_URN], Operations: [{ op: 'Add', path: `${ENTERPRISE_URN}:manager`, value: managerId }] });
    expect(res.status).toBe(200);
    expect((await row(userId)).manager_id).toBe(managerId);
    const removed = await scim('PATCH', `/Users/${userId}`, { schemas: [PATCH_URN], Operations: [{ op: 'Remove', path: `${ENTERPRISE_URN}:manager` }] });
    expect(removed.status).toBe(200);
    expect((await row(userId)).manager_id).toBeNull();
    const legacy = await scim('PATCH', `/Users/${userId}`, { schemas: [PATCH_URN], Operations: [{ op: 'Add', path: 'manager', value: [{ $ref: null, value: managerId }] }] });
    expect(legacy.status).toBe(200);
    expect((await row(userId)).manager_id).toBe(managerId);
  });

  test('creates a group, finds it without members, adds and removes members by value list, renames it', async () => {
    const created = await scim('POST', '/Groups', { schemas: [GROUP_URN], externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159', displayName: 'Entra IT Admins', meta: { resourceType: 'Group' } });
    expect(created.status).toBe(201);
    groupId = created.body.id!;
    const found = await scim('GET', `/Groups?excludedAttributes=members&filter=${filter('displayName eq "Entra IT Admins"')}`);
    expect(found.body.totalResults).toBe(1);
    expect((found.body.Resources as Record<string, unknown>[])[0]).not.toHaveProperty('members');
    expect((await scim('GET', `/Groups/${groupId}?excludedAttributes=members`)).body).not.toHaveProperty('members');
    const add = await scim('PATCH', `/Groups/${groupId}`, { schemas: [PATCH_URN], Operations: [{ op: 'Add', path: 'members', value: [{ $ref: null, value: userId }, { $ref: null, value: managerId }] }] });
    expect(add.status).toBe(200);
    expect((add.body.members as unknown[]).length).toBe(2);
    const remove = await scim('PATCH', `/Groups/${groupId}`, { schemas: [PATCH_URN], Operations: [{ op: 'Remove', path: 'members', value: [{ $ref: null, value: managerId }] }] });
    expect((remove.body.members as { value: string }[]).map((m) => m.value)).toEqual([userId]);
    expect((await row(userId)).roles).toEqual(['employee']);
    // Renamed to the mapped name: the membership now grants the mapped role.
    const renamed = await scim('PATCH', `/Groups/${groupId}`, { schemas: [PATCH_URN], Operations: [{ op: 'Replace', path: 'displayName', value: 'IT Admins' }] });
    expect(renamed.body.displayName).toBe('IT Admins');
    expect(await row(userId)).toMatchObject({ roles: ['approver', 'employee', 'it_admin'], approver_groups: ['it-admins'] });
  });

  test('disables with active "False" (a string), then deletes: later reads are 404, the row stays deactivated', async () => {
    const off = await scim('PATCH', `/Users/${userId}`, { schemas: [PATCH_URN], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] });
    expect(off.status).toBe(200);
    expect(off.body.active).toBe(false);
    expect(await row(userId)).toMatchObject({ roles: [], approver_groups: [] });
    expect((await row(userId)).deactivated_at).toBeInstanceOf(Date);
    expect((await scim('DELETE', `/Users/${userId}`)).status).toBe(204);
    expect((await scim('GET', `/Users/${userId}`)).status).toBe(404);
    expect((await scim('GET', `/Users?filter=${filter(`userName eq "${upn}"`)}`)).body.totalResults).toBe(0);
    expect((await scim('GET', `/Groups/${groupId}`)).body.members).toEqual([]);
    expect((await row(userId)).deactivated_at).toBeInstanceOf(Date);
    // Provisioned again after a delete: the same person comes back (same row, history intact).
    const back = await scim('POST', '/Users', { schemas: [USER_URN], userName: upn, active: true, emails: [{ primary: true, type: 'work', value: 'updated.email@acme.test' }] });
    expect(back.status).toBe(201);
    expect(back.body.id).toBe(userId);
    expect((await row(userId)).deactivated_at).toBeNull();
  });
});
