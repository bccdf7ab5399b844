import type { MatchResult } from './deterministic/matcher.js';
import type { PlannerTier, ToolSummary } from './planner.js';
import type { ModelTier } from '../models/types.js';
import { NEEDS_REASONING, mentionedConnectors } from './connectorMentions.js';

export interface RouteInput {
  readonly request: string;
  readonly tools: readonly ToolSummary[];
  /** Tier 0's verdict on the request. */
  readonly match: MatchResult;
  readonly forceTier?: PlannerTier;
  /** Whether a model tier (or one to fall back to) is configured. */
  readonly hasModels: boolean;
}

export interface RouteDecision {
  readonly tier: PlannerTier;
  /** Recorded on the run (PlannerDecision.reason) so operators can see why a tier was used. */
  readonly reason: string;
}

/**
 * Cheapest tier that can do the job: tier 0 when the intent matcher is sure (or nothing else is
 * configured), the fast model for one connector, the power model when the request spans several
 * connectors or needs results to decide the next step. A tenant may force a tier.
 */
export function routeRequest(input: RouteInput): RouteDecision {
  if (input.forceTier === 'deterministic') return { tier: 'deterministic', reason: 'the tenant forces the deterministic tier' };
  if (!input.hasModels) return { tier: 'deterministic', reason: 'no model is configured for this tenant' };
  if (input.forceTier) return { tier: input.forceTier, reason: `the tenant forces the ${input.forceTier} tier` };
  if (input.match.kind === 'plan') {
    const intents = input.match.steps.map((s) => s.intent).join(', ');
    return { tier: 'deterministic', reason: `tier 0 recognised the request (${intents})` };
  }
  if (input.match.kind === 'answer') return { tier: 'deterministic', reason: `tier 0 answered directly (${input.match.intent})` };
  if (input.match.kind === 'clarify') return { tier: 'deterministic', reason: `tier 0 recognised ${input.match.intent} but a detail is missing` };
  const connectors = mentionedConnectors(input.request, input.tools);
  if (connectors.length > 1) return { tier: 'power', reason: `the request spans ${connectors.length} connectors (${connectors.join(', ')})` };
  if (NEEDS_REASONING.test(input.request)) return { tier: 'power', reason: 'the request needs several dependent steps' };
  if (connectors.length === 1) return { tier: 'fast', reason: `single-connector request (${connectors[0]})` };
  return { tier: 'fast', reason: 'general request without a specific connector' };
}

export function isModelTier(tier: PlannerTier): tier is ModelTier {
  return tier !== 'deterministic';
}
