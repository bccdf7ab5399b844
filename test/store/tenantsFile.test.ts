import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../src/core/errors.js';
import { exampleTenantsFilePath, loadTenantsFile } from '../../src/config/tenantsFile.js';
import { DEMO_PEOPLE } from '../../connectors/shared/demoOrg.js';

let dir: string;
beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'sb-tenants-')); });
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

async function failure(name: string, content: string): Promise<ConfigError> {
  const path = join(dir, name);
  await writeFile(path, content);
  const error = await loadTenantsFile(path).then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ConfigError);
  expect((error as Error).message).toContain(path);
  return error as ConfigError;
}

test('tenants.example.yaml is valid and describes the demo organisation', async () => {
  const file = await loadTenantsFile(exampleTenantsFilePath());
  const acme = file.tenants.find((t) => t.id === 'acme')!;
  expect(acme.users.map((u) => u.email).sort()).toEqual(DEMO_PEOPLE.map((p) => p.email).sort());
  for (const person of DEMO_PEOPLE) {
    const user = acme.users.find((u) => u.email === person.email)!;
    expect(user.roles).toEqual([...person.roles]);
    expect(user.managerEmail).toBe(person.managerKey ? `${person.managerKey}@acme.test` : undefined);
  }
  expect(acme.connectors.map((c) => [c.kind, c.baseUrl])).toEqual([['servicenow', 'sandbox'], ['jira', 'sandbox'], ['salesforce', 'sandbox'], ['okta', 'sandbox']]);
  expect(acme.connectors.find((c) => c.kind === 'okta')?.serviceTokenEnv).toBe('OKTA_SERVICE_TOKEN');
  expect(acme.approverGroups).toEqual({ 'it-admins': ['linus@acme.test'], 'sales-managers': ['margaret@acme.test'] });
  expect(acme.budgets.perRequest.usd).toBe(250_000);
  expect(Object.keys(acme.models).sort()).toEqual(['fast', 'mid', 'power']);
});

test('JSON files are read too', async () => {
  const path = join(dir, 'one.json');
  await writeFile(path, JSON.stringify({ tenants: [{ id: 'globex', name: 'Globex' }] }));
  expect((await loadTenantsFile(path)).tenants[0]?.id).toBe('globex');
});

test('schema errors name the path inside the file', async () => {
  const error = await failure('bad.yaml', `tenants:
  - id: acme
    name: Acme
    connectors:
      - { id: jira, kind: jira, baseUrl: sandbox }
      - { id: okta, kind: okta, baseUrl: sandbox }
      - { id: sap, kind: sap, baseUrl: sandbox }
    budgets:
      perRequest: { usd: -1 }
`);
  expect(error.message).toContain('tenants[0].connectors[2].kind');
  expect(error.message).toContain('tenants[0].budgets.perRequest.usd');
});

test('references between users, groups and connectors are checked', async () => {
  const error = await failure('refs.yaml', `tenants:
  - id: acme
    name: Acme
    users:
      - { email: a@acme.test, displayName: A, managerEmail: ghost@acme.test }
    approverGroups:
      admins: [nobody@acme.test]
    approvalPolicy:
      rules:
        - { tools: ["okta_*"], approvers: [admins, security] }
`);
  expect(error.message).toContain('tenants[0].users[0].managerEmail: ghost@acme.test is not one of');
  expect(error.message).toContain('tenants[0].approverGroups.admins[0]');
  expect(error.message).toContain('tenants[0].approvalPolicy.rules[0].approvers[1]: unknown approver group "security"');
});

test('unreadable and unparsable files say so', async () => {
  await expect(loadTenantsFile(join(dir, 'missing.yaml'))).rejects.toThrow(/Cannot read tenants file .*missing\.yaml: ENOENT/);
  const error = await failure('broken.yaml', 'tenants: [\n  - id: "unterminated\n');
  expect(error.message).toMatch(/is not valid YAML/);
  expect((await failure('broken.json', '{"tenants": [')).message).toMatch(/is not valid JSON/);
});
