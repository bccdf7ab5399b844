import { buildTimeline, summarizeEvent } from '../../src/ops/runTimeline.js';

// Issue 15, deliverable 2: the waterfall of a run that waited for an account link, then re-planned
// with a model (tokens and cost on the planning bar), ran a step with a retried tool call.
const at = (ms: number) => new Date(Date.UTC(2026, 11, 1, 9, 0, 0) + ms);
const event = (seq: number, ms: number, type: string, payload: Record<string, unknown> = {}) => ({ seq, type, payload: { type, ...payload }, createdAt: at(ms) });

test('planning, the link wait, the step and its tool call become bars with durations, tier, tokens and cost', () => {
  const t = buildTimeline({
    run: { id: 'r1', status: 'completed', channel: 'slack', createdAt: at(0), startedAt: at(100), finishedAt: at(9000), routing: { tier: 'fast' }, tokensUsed: 700, costMicros: 1500n },
    events: [
      event(1, 100, 'run.started', { text: 'file a jira bug' }),
      event(2, 150, 'run.status', { status: 'awaiting_link' }),
      event(3, 160, 'account.link_required', { connectorId: 'jira', connectorName: 'Jira' }),
      event(4, 5000, 'account.linked', { connectorId: 'jira' }),
      event(5, 5010, 'run.status', { status: 'planning' }),
      event(6, 6000, 'plan.created', { tier: 'fast' }),
      event(7, 6010, 'step.started', { stepId: 's', title: 'File the bug' }),
      event(8, 8000, 'step.finished', { stepId: 's', title: 'File the bug', summary: 'NET-1 filed' }),
      event(9, 9000, 'run.completed', { text: 'Filed NET-1.' }),
    ],
    steps: [{ id: 's', key: 's1', tool: 'jira_create_issue', title: 'File the bug', status: 'succeeded', startedAt: at(6010), finishedAt: at(8000), createdAt: at(6000) }],
    toolCalls: [{ stepId: 's', tool: 'jira_create_issue', connectorId: 'jira', status: 'succeeded', attempts: 2, durationMs: 1500, startedAt: at(6100), finishedAt: null }],
    approvals: [],
    usage: [{ tier: 'fast', model: 'gpt-x', inputTokens: 500, outputTokens: 200, costMicros: 1500n, createdAt: at(5900) }],
  });
  const bars = t.bars.map((b) => ({ kind: b.kind, label: b.label, durationMs: b.durationMs, tier: b.tier, tokens: b.tokens, costMicros: b.costMicros, depth: b.depth }));
  expect(bars).toEqual([
    { kind: 'queued', label: 'queued', durationMs: 100, tier: undefined, tokens: undefined, costMicros: undefined, depth: 0 },
    // Planning from the start until the run turned to wait for the link: no model call in it.
    { kind: 'planning', label: 'planning', durationMs: 50, tier: undefined, tokens: 0, costMicros: 0, depth: 0 },
    { kind: 'wait_link', label: 'waiting for Jira to be linked', durationMs: 4840, tier: undefined, tokens: undefined, costMicros: undefined, depth: 0 },
    { kind: 'planning', label: 'planning', durationMs: 990, tier: 'fast', tokens: 700, costMicros: 1500, depth: 0 },
    { kind: 'step', label: 's1 File the bug', durationMs: 1990, tier: undefined, tokens: undefined, costMicros: undefined, depth: 0 },
    { kind: 'tool', label: 'jira_create_issue (2 attempts)', durationMs: 1500, tier: undefined, tokens: undefined, costMicros: undefined, depth: 1 },
  ]);
  expect(t.modelCalls).toEqual([{ at: at(5900).toISOString(), tier: 'fast', model: 'gpt-x', tokens: 700, costMicros: 1500 }]);
  expect(t.events.map((e) => e.summary)).toEqual(['file a jira bug', 'awaiting_link', 'link Jira', 'linked jira', 'planning', 'plan by the fast tier', 'File the bug', 'File the bug — NET-1 filed', 'Filed NET-1.']);
});

test('an approval still waiting is an open bar; long texts are cut to a line', () => {
  const t = buildTimeline({
    run: { id: 'r2', status: 'awaiting_approval', channel: 'web', createdAt: at(0), startedAt: null, finishedAt: null, routing: null, tokensUsed: 0, costMicros: 0n },
    events: [],
    steps: [{ id: 's', key: 's1', tool: 'okta_reset', title: 'Reset', status: 'awaiting_approval', startedAt: null, finishedAt: null, createdAt: at(10) }],
    toolCalls: [],
    approvals: [{ stepId: 's', action: 'Reset the password', status: 'pending', createdAt: at(20), decidedAt: null }],
    usage: [],
  });
  expect(t.bars.map((b) => [b.kind, b.end, b.durationMs])).toEqual([['step', null, null], ['wait_approval', null, null]]);
  expect(summarizeEvent('run.completed', { text: 'x'.repeat(500) })).toHaveLength(120);
});
