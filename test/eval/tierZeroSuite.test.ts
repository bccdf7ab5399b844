import { join } from 'node:path';
import { judge } from '../../src/eval/judge.js';
import { passHatK } from '../../src/eval/passK.js';
import { failureList, summarize, trial, type ScenarioResult } from '../../src/eval/report.js';
import { loadScenarios, parseScenarioFile, ScenarioFileError } from '../../src/eval/scenario.js';
import { EVAL_SLOT_ENV, productToolSummaries } from '../../src/eval/registryTools.js';
import { tierZeroOutcome } from '../../src/eval/tierZero.js';

const K = 8;

describe('the evaluation suite in eval/scenarios, tier 0 against the product tool registry', () => {
  let results: ScenarioResult[] = [];
  beforeAll(async () => {
    const scenarios = await loadScenarios(join(process.cwd(), 'eval/scenarios'));
    const tools = productToolSummaries();
    results = [];
    for (const scenario of scenarios) results.push(await trial(scenario, scenario.tier0, K, () => tierZeroOutcome(scenario, tools, EVAL_SLOT_ENV)));
  });

  test('is broad: at least 300 scenarios, every registry tool expected somewhere, follow-ups and declines included', () => {
    expect(results.length).toBeGreaterThanOrEqual(300);
    const expected = new Set(results.flatMap((r) => (r.scenario.expect.kind === 'plan' ? r.scenario.expect.tools.map((t) => t.tool) : [])));
    const missing = productToolSummaries().map((t) => t.name).filter((name) => !expected.has(name));
    expect(missing).toEqual([]);
    expect(results.filter((r) => r.scenario.turns.length > 1).length).toBeGreaterThanOrEqual(10);
    expect(results.filter((r) => r.scenario.expect.kind === 'decline').length).toBeGreaterThanOrEqual(20);
  });

  test(`tier 0 passes every scenario: pass^${K} = 1.0`, () => {
    const summary = summarize('tier 0', results, K);
    if (summary.passAtK < 1) throw new Error(`tier 0 pass^${K} = ${summary.passAtK.toFixed(3)}\n${failureList(results)}`);
    expect(summary.passAt1).toBe(1);
  });
});

describe('scenario files and scoring', () => {
  test('a malformed scenario is a clear error naming the file and the field', () => {
    expect(() => parseScenarioFile('intent: x\nscenarios:\n  - { say: hi, expect: { kind: plan } }\n', 'bad.yaml')).toThrow(ScenarioFileError);
    expect(() => parseScenarioFile('intent: x\nscenarios:\n  - { say: hi, expect: { kind: plan } }\n', 'bad.yaml')).toThrow(/bad\.yaml: scenarios\.0\.expect\.tools/);
    expect(() => parseScenarioFile('intent: x\nscenarios:\n  - { say: hi, turns: [{ user: hi }], expect: { kind: defer } }\n', 'both.yaml')).toThrow(/either `say` or `turns`/);
  });

  test('pass^k is the chance that k trials all pass: an inconsistent tier scores below its pass^1', () => {
    expect(passHatK(8, 8, 8)).toBe(1);
    expect(passHatK(7, 8, 1)).toBeCloseTo(0.875);
    expect(passHatK(7, 8, 8)).toBe(0);
    expect(passHatK(6, 8, 2)).toBeCloseTo((6 * 5) / (8 * 7));
  });

  test('a plan with the right tool but a wrong key argument fails; "~" only asks for containment', () => {
    const expected = { kind: 'plan' as const, tools: [{ tool: 'jira_assign_issue', args: { key: 'NET-7', assignee: 'me' } }] };
    expect(judge(expected, { kind: 'plan', steps: [{ tool: 'jira_assign_issue', args: { key: 'NET-7', assignee: 'someone else' } }] }).pass).toBe(false);
    expect(judge(expected, { kind: 'plan', steps: [{ tool: 'jira_assign_issue', args: { key: 'net-7', assignee: 'Me' } }] }).pass).toBe(true);
    expect(judge({ kind: 'plan', tools: [{ tool: 't', args: { summary: '~vpn drops' } }] }, { kind: 'plan', steps: [{ tool: 't', args: { summary: 'The VPN drops hourly' } }] }).pass).toBe(true);
    expect(judge({ kind: 'decline' }, { kind: 'plan', steps: [{ tool: 'servicenow_get_incident', args: { number: 'INC0010001' } }] }).pass).toBe(false);
    expect(judge({ kind: 'defer' }, { kind: 'clarify', question: 'Which one?' }).pass).toBe(false);
  });
});
