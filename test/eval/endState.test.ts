import { checkEndState, recordDiff } from '../../src/eval/endState.js';
import { productTrial, startProductForEval, type ProductProbe } from '../../src/eval/productMode.js';
import { evalDatabaseServer } from '../../src/eval/productReport.js';
import { parseScenarioFile } from '../../src/eval/scenario.js';

const endState = (text: string) => parseScenarioFile(text, 'probe.yaml')[0]!.endState!;

describe('end-state check against sandbox record snapshots', () => {
  const before = { jira: { issues: [{ key: 'NET-1', fields: { status: { name: 'To Do' } }, comments: [] }, { key: 'NET-2', summary: 'x' }] } };
  const after = { jira: { issues: [{ key: 'NET-1', fields: { status: { name: 'Done' } }, comments: [{ body: 'Deployed to staging' }] }, { key: 'NET-2', summary: 'x' }, { key: 'NET-3', summary: 'Flaky DNS in the lobby' }] } };

  test('created and changed rows are told apart by the vendor id', () => {
    const diff = recordDiff(before.jira.issues, after.jira.issues);
    expect(diff.created.map((r) => r.key)).toEqual(['NET-3']);
    expect(diff.changed.map((r) => r.key)).toEqual(['NET-1']);
  });

  test('fields match case-insensitively, "~" means contains, nested and Jira `fields.` paths resolve', () => {
    const ok = endState(`intent: t\nscenarios:\n  - { say: x, expect: { kind: decline }, endState: { created: [{ system: jira, kind: issues, fields: { summary: ~flaky dns } }], changed: [{ system: jira, kind: issues, fields: { key: net-1, status: done, comments: ~deployed to staging } }], approvalsRequested: 0 } }\n`);
    expect(checkEndState(ok, before, after, 0)).toEqual({ pass: true });
  });

  test('a missing record, a wrong field, an unchanged record or a wrong approval count fails with the reason', () => {
    const wrong = endState(`intent: t\nscenarios:\n  - { say: x, expect: { kind: decline }, endState: { created: [{ system: jira, kind: issues, fields: { summary: ~printer } }, { system: servicenow, kind: incident }], changed: [{ system: jira, kind: issues, fields: { key: NET-2 } }], approvalsRequested: 1 } }\n`);
    const verdict = checkEndState(wrong, before, after, 0);
    expect(verdict.pass).toBe(false);
    expect(verdict.detail).toContain('no jira issues created with {"summary":"~printer"}');
    expect(verdict.detail).toContain('no servicenow incident created');
    expect(verdict.detail).toContain('no jira issues changed with {"key":"NET-2"}');
    expect(verdict.detail).toContain('expected 1 approval request(s), saw 0');
  });

  test('`unchanged` fails on any created or changed row and passes on identical snapshots', () => {
    const none = endState(`intent: t\nscenarios:\n  - { say: x, expect: { kind: decline }, endState: { unchanged: true } }\n`);
    expect(checkEndState(none, before, before, 0)).toEqual({ pass: true });
    expect(checkEndState(none, before, after, 0).detail).toBe('expected no change, but jira issues has 1 created and 1 changed');
  });

  test('two expected records need two rows', () => {
    const twice = endState(`intent: t\nscenarios:\n  - { say: x, expect: { kind: decline }, endState: { created: [{ system: jira, kind: issues }, { system: jira, kind: issues }] } }\n`);
    expect(checkEndState(twice, before, after, 0).pass).toBe(false);
  });
});

describe('product mode: the whole product driven through the playground', () => {
  let probe: ProductProbe | undefined;
  beforeAll(async () => {
    probe = await startProductForEval(evalDatabaseServer(process.env));
  }, 60_000);
  afterAll(async () => {
    await probe?.close();
  });

  const scenario = (endStateYaml: string, say: string) => parseScenarioFile(`intent: t\nscenarios:\n  - { say: "${say}", expect: { kind: decline }, endState: ${endStateYaml} }\n`, 'probe.yaml')[0]!;

  test('an incident the employee opens is found in the ServiceNow sandbox; a different expectation fails', async () => {
    await expect(productTrial(probe!, scenario('{ created: [{ system: servicenow, kind: incident, fields: { short_description: ~projector in room 4 } }], approvalsRequested: 0 }', 'open an incident: the projector in room 4 is broken'))).resolves.toEqual({ pass: true });
    const wrong = await productTrial(probe!, scenario('{ created: [{ system: servicenow, kind: incident, fields: { short_description: ~coffee machine } }] }', 'open an incident: the scanner in room 5 is broken'));
    expect(wrong.pass).toBe(false);
    expect(wrong.detail).toContain('runs: completed');
  }, 60_000);

  test('an approval is requested, an allowed approver approves, and the unlock happens', async () => {
    await expect(productTrial(probe!, scenario('{ approvalsRequested: 1, approve: true, changed: [{ system: okta, kind: users, fields: { profile.login: ada@acme.test, status: ACTIVE } }] }', 'unlock my account'))).resolves.toEqual({ pass: true });
  }, 60_000);
});
