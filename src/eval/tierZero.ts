import { matchRequest } from '../planner/deterministic/matcher.js';
import type { SlotEnv } from '../planner/deterministic/types.js';
import type { ConversationTurn, ToolSummary } from '../planner/planner.js';
import type { Outcome } from './judge.js';
import type { Scenario } from './scenario.js';

/** The thread before the scenario's last turn, as the planner sees it (answers restate tool output). */
export function historyOf(scenario: Scenario): ConversationTurn[] {
  return scenario.turns.slice(0, -1).map((turn) =>
    'user' in turn ? { role: 'user', content: turn.user, provenance: 'requester' } : { role: 'assistant', content: turn.assistant, provenance: 'derived' });
}

export function lastRequest(scenario: Scenario): string {
  const last = scenario.turns[scenario.turns.length - 1]!;
  return 'user' in last ? last.user : '';
}

/** Tier 0 straight against the tool registry: no HTTP, no sandboxes, no model. */
export function tierZeroOutcome(scenario: Scenario, tools: readonly ToolSummary[], env: SlotEnv): Outcome {
  const match = matchRequest(lastRequest(scenario), tools, env, historyOf(scenario));
  switch (match.kind) {
    case 'plan': return { kind: 'plan', steps: match.steps.map((s) => ({ tool: s.tool, args: s.args })) };
    case 'clarify': return { kind: 'clarify', question: match.question };
    case 'answer': return { kind: 'answer', text: match.text };
    case 'none': return { kind: 'none' };
  }
}
