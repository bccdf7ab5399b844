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
    return matchRequest(ctx.request, ctx.tools, await this.env(ctx));
  }

  async next(ctx: PlanningContext, reason = 'the request matched a known everyday intent'): Promise<PlannerDecision | { kind: 'undecided' }> {
    if (ctx.observations.length > 0) {
      return { kind: 'answer', text: writeAnswer(ctx.observations, ctx.previousPlan), tier: 'deterministic' };
    }
    const match = await this.match(ctx);
    if (match.kind === 'plan') return { kind: 'plan', plan: toPlan(match.steps), tier: 'deterministic', reason };
    if (match.kind === 'clarify') return { kind: 'clarify', question: match.question, tier: 'deterministic' };
    return { kind: 'undecided' };
  }

  /** What tier 0 says when it does not recognise the request. */
  static help(): string {
    return `I did not recognise that request. ${TIER0_HELP}`;
  }
}
