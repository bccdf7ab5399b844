import { writeAnswer } from '../../src/planner/deterministic/answerWriter.js';
import type { StepObservation } from '../../src/planner/planner.js';

const ok = (stepId: string, summary: string): StepObservation => ({ stepId, tool: 'servicenow_create_incident', args: {}, status: 'succeeded', summary });
const failed = (stepId: string, tool: string, code: string, message: string): StepObservation => ({ stepId, tool, args: {}, status: 'failed', error: { code, message } });

describe('the tier-0 answer states each outcome once and never hides a failure', () => {
  test('all succeeded: one line per step, no headline', () => {
    const text = writeAnswer([ok('s1', 'Opened INC0010042: VPN drops.'), ok('s2', 'Created NET-41: VPN drops.')]);
    expect(text.split('\n')).toEqual(['✅ Opened INC0010042: VPN drops.', '✅ Created NET-41: VPN drops.']);
  });

  test('partly failed: the failure is called out first, then each step once', () => {
    const text = writeAnswer([ok('s1', 'Opened INC0010042: VPN drops.'), failed('s2', 'jira_create_issue', 'connector_forbidden', 'Jira says you do not have permission to do that.')]);
    const lines = text.split('\n');
    expect(lines[0]).toBe('1 of 2 steps did not work; the rest went through.');
    expect(lines.filter((l) => l.includes('INC0010042'))).toHaveLength(1);
    expect(lines[2]).toMatch(/^❌ .*Jira says you do not have permission to do that\.$/);
  });

  test('everything failed: said plainly', () => {
    expect(writeAnswer([failed('s1', 'okta_reset_my_password', 'connector_unavailable', 'Okta is having trouble right now. Please try again in a few minutes.')]).split('\n')[0]).toBe('That did not work.');
  });

  test("a vendor's own error text is rewritten for the employee", () => {
    const vendor = 'Jira rejected the request: Field customfield_10011 is required. Epic Name must not be null.';
    const text = writeAnswer([failed('s1', 'jira_create_issue', 'connector_bad_request', vendor)]);
    expect(text).not.toContain('customfield_10011');
    expect(text).toMatch(/Jira did not accept the request as I sent it, so nothing was changed/);
  });
});
