/**
 * Issue 12, deliverable 7 (optional delegation): an approver out of office names a delegate for a
 * period; requests made during it go to the delegate, never to the requester, and the delegation
 * is set through ApprovalDelegations (validated, one per approver). Real PostgreSQL + Redis engine.
 */
import { ApprovalDelegations } from '../../src/engine/approvals/delegations.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startEffectsServer, type EffectsServer } from '../support/effectsServer.js';
import { cleanupRedisPrefix, createHarness, seedTenant, testTenant, turn, uniquePrefix, waitForStatus, type Harness } from '../support/engineHarness.js';

let database: TestDatabase;
let effects: EffectsServer;
let harness: Harness;
let users: Map<string, string>;
let delegations: ApprovalDelegations;
const prefix = uniquePrefix('delegation');
const tenant = testTenant('acme', { approvalPolicy: { rules: [{ tools: ['effects_grant_access'], approvers: ['manager'] }, { risk: ['write'], autoApprove: true }] } });
const grant = (group: string) => JSON.stringify({ say: 'finished', steps: [{ id: 's1', tool: 'effects_grant_access', args: { group } }] });
const HOUR = 60 * 60 * 1000;

beforeAll(async () => {
  database = await createTestDatabase();
  effects = await startEffectsServer();
  users = await seedTenant(database.db.prisma, tenant);
  harness = await createHarness({ prisma: database.db.prisma, tenants: [tenant], effectsUrl: effects.url, workers: 1, redisPrefix: prefix });
  delegations = new ApprovalDelegations(database.db.prisma);
});

afterAll(async () => {
  await harness?.close();
  await effects?.stop();
  await database?.drop();
  await cleanupRedisPrefix(prefix);
});

async function waitingApproval(text: string, email: string) {
  const submitted = await harness.runtime.gateway.submit(turn('acme', email, text));
  if (submitted.status !== 'accepted') throw new Error(JSON.stringify(submitted));
  const run = await waitForStatus(database.db.prisma, 'acme', submitted.runId, ['awaiting_approval', 'completed', 'failed']);
  expect(run.status).toBe('awaiting_approval');
  return { run, approval: await database.db.prisma.approval.findFirstOrThrow({ where: { tenantId: 'acme', runId: run.id } }) };
}

const id = (email: string): string => users.get(email)!;

test('setting a delegation is validated: an unknown colleague, oneself, or a period already over are refused', async () => {
  const grace = id('grace@acme.test');
  await expect(delegations.set('acme', grace, { delegateEmail: 'nobody@acme.test', endsAt: new Date(Date.now() + HOUR) })).rejects.toMatchObject({ code: 'not_found' });
  await expect(delegations.set('acme', grace, { delegateEmail: 'grace@acme.test', endsAt: new Date(Date.now() + HOUR) })).rejects.toMatchObject({ code: 'invalid_input' });
  await expect(delegations.set('acme', grace, { delegateEmail: 'linus@acme.test', endsAt: new Date(Date.now() - HOUR) })).rejects.toMatchObject({ code: 'invalid_input' });
  expect(await database.db.prisma.approvalDelegation.count()).toBe(0);
});

test('during the period the delegate gets the request and decides; the absent approver is not eligible; the action runs once', async () => {
  const set = await delegations.set('acme', id('grace@acme.test'), { delegateEmail: 'LINUS@acme.test', startsAt: new Date(Date.now() - HOUR), endsAt: new Date(Date.now() + 24 * HOUR) });
  expect(set.delegate.userId).toBe(id('linus@acme.test'));
  const { run, approval } = await waitingApproval(grant('vpn-admins'), 'ada@acme.test');
  expect(approval.approverIds).toEqual([id('linus@acme.test')]);
  const requested = (await harness.runtime.eventsSince('acme', run.id, 0)).find((e) => e.type === 'approval.requested');
  expect(requested?.type === 'approval.requested' && requested.approvers.map((a) => a.email)).toEqual(['linus@acme.test']);

  const decide = (email: string) => harness.runtime.approvals.decide({ tenantId: 'acme', approvalId: approval.id, deciderUserId: id(email), decision: 'approve' });
  expect(await decide('grace@acme.test')).toMatchObject({ status: 'refused', code: 'not_eligible' });
  expect(await decide('linus@acme.test')).toMatchObject({ status: 'decided' });
  const done = await waitForStatus(database.db.prisma, 'acme', run.id, ['completed', 'failed']);
  expect(done.status).toBe('completed');
  const key = (await database.db.prisma.toolCall.findFirstOrThrow({ where: { tenantId: 'acme', runId: run.id } })).idempotencyKey;
  expect(effects.applied(key)).toBe(1);
});

test('a delegate who is the requester is skipped: the absent approver keeps the request', async () => {
  // Grace is Alan's manager too; she names Alan, and then Alan asks for something she must approve.
  await delegations.set('acme', id('grace@acme.test'), { delegateEmail: 'alan@acme.test', endsAt: new Date(Date.now() + 24 * HOUR) });
  expect(await database.db.prisma.approvalDelegation.count({ where: { approverId: id('grace@acme.test') } })).toBe(1);
  const { approval } = await waitingApproval(grant('finance'), 'alan@acme.test');
  expect(approval.approverIds).toEqual([id('grace@acme.test')]);
  expect(await harness.runtime.approvals.decide({ tenantId: 'acme', approvalId: approval.id, deciderUserId: id('alan@acme.test'), decision: 'approve' })).toMatchObject({ status: 'refused', code: 'requester_cannot_approve' });
});

test('outside the period (not started yet, or cleared) the approver is asked again', async () => {
  await delegations.set('acme', id('grace@acme.test'), { delegateEmail: 'linus@acme.test', startsAt: new Date(Date.now() + 24 * HOUR), endsAt: new Date(Date.now() + 48 * HOUR) });
  expect((await waitingApproval(grant('legal'), 'ada@acme.test')).approval.approverIds).toEqual([id('grace@acme.test')]);
  await delegations.set('acme', id('grace@acme.test'), { delegateEmail: 'linus@acme.test', endsAt: new Date(Date.now() + HOUR) });
  expect(await delegations.clear('acme', id('grace@acme.test'))).toBe(1);
  expect((await waitingApproval(grant('ops'), 'ada@acme.test')).approval.approverIds).toEqual([id('grace@acme.test')]);
});
