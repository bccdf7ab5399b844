import type { Plan } from '../../engine/plan.js';
import type { PlannerDecision, PlanningContext } from '../planner.js';
import { TIER0_HELP, writeAnswer } from './answerWriter.js';
import { matchRequest, type MatchResult } from './matcher.js';
import type { SlotEnv } from './types.js';

function toPlan(steps: Extract<MatchResult, { kind: 'plan' }>['steps']): Plan {
  return {
    steps: steps.map((step, i) => ({ id: `s${i + 1}`, tool: step.tool, args: step.args, dependsOn: [], title: step.title.slice(0, 200) })),
    replanAfter: false,
    summary: steps.length === 1 ? 'Here is what I will do:' : `Here are the ${steps.length} things I will do:`,
  };
}

/**
 * Tier 0 as a planner: plans from the intent matcher, answers from the observations, never calls a
 * model. `undecided` means the request is outside what it recognises (the caller decides what next).
 */
export class DeterministicPlanner {
  constructor(private readonly env: (ctx: PlanningContext) => Promise<SlotEnv>) {}

  async match(ctx: PlanningContext): Promise<MatchResult> {
    return matchRequest(ctx.request, ctx.tools, await this.env(ctx), ctx.history);
  }

  /**
   * Tier 0 reads no tool output and no history as instructions. A stored fact fills at most a slot
   * the intent shapes (the default Jira project key), never text that could instruct, so it does not
   * taint. A record named only by an untrusted earlier turn does: such a plan is reported as
   * untrustedInput, which makes its writes need approval whatever the policy.
   */
  async next(ctx: PlanningContext, reason = 'the request matched a known everyday intent'): Promise<PlannerDecision | { kind: 'undecided' }> {
    if (ctx.observations.length > 0) {
      return { kind: 'answer', text: writeAnswer(ctx.observations, ctx.previousPlan), tier: 'deterministic', untrustedInput: true };
    }
    const env = await this.env(ctx);
    const match = matchRequest(ctx.request, ctx.tools, env, ctx.history);
    if (match.kind === 'plan') {
      // A record named only by an untrusted earlier turn ("make it a P1" after a tool listed it) counts as untrusted input.
      const untrusted = match.referent !== undefined && !match.referent.trusted;
      return { kind: 'plan', plan: toPlan(match.steps), tier: 'deterministic', reason, ...(untrusted ? { untrustedInput: true, derivedFromToolOutput: true } : {}) };
    }
    if (match.kind === 'clarify') return { kind: 'clarify', question: match.question, tier: 'deterministic' };
    if (match.kind === 'answer') return { kind: 'answer', text: match.text, tier: 'deterministic' };
    return { kind: 'undecided' };
  }

  /** What tier 0 says when it does not recognise the request. */
  static help(): string {
    return `I did not recognise that request. ${TIER0_HELP}`;
  }
}
