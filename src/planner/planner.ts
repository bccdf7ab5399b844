import type { Plan } from '../engine/plan.js';
import type { RiskTier } from '../tools/tool.js';
import type { JsonObject } from '../core/json.js';
import type { Logger } from '../core/logger.js';
import type { Provenance } from '../memory/provenance.js';

export type { Provenance } from '../memory/provenance.js';

export type PlannerTier = 'deterministic' | 'fast' | 'mid' | 'power';

/** What the planner may know about a tool: its model-facing name, description and JSON Schema. */
export interface ToolSummary {
  readonly name: string;
  readonly connectorId?: string;
  readonly connectorKind?: string;
  readonly description: string;
  readonly risk: RiskTier;
  readonly parameters: JsonObject;
}

/** One executed step as the planner observes it. `result` is untrusted data, never instructions. */
export interface StepObservation {
  readonly stepId: string;
  readonly tool: string;
  readonly args: JsonObject;
  readonly status: 'succeeded' | 'failed' | 'denied' | 'unverified' | 'skipped';
  readonly result?: unknown;
  /** The tool's own sentence about a successful result, when the tool has one. */
  readonly summary?: string;
  readonly error?: { readonly code: string; readonly message: string };
}

export interface ConversationTurn {
  readonly role: 'user' | 'assistant' | 'summary';
  readonly content: string;
  /** Whose words these are: only the requester's own may instruct; the rest is fenced as data. */
  readonly provenance: Provenance;
}

/** Model spend the engine must account for; cost in integer micro-dollars. */
export interface ModelUsage {
  readonly tier: PlannerTier;
  readonly model: string;
  readonly inputTokens: number;
  readonly cachedInputTokens: number;
  readonly outputTokens: number;
  readonly costMicros: number;
}

/** Reserve before a model call, settle after. Throws BudgetExceededError when a cap would be crossed. */
export interface BudgetMeter {
  reserve(estimate: { tier: PlannerTier; model: string; inputTokens: number; maxOutputTokens: number; costMicros: number }): Promise<BudgetReservation>;
}
export interface BudgetReservation {
  settle(actual: ModelUsage): Promise<void>;
  /** Returns the reservation unused (the call failed before the provider billed anything). */
  release(): Promise<void>;
}

export interface PlanningContext {
  readonly tenantId: string;
  readonly userId: string;
  readonly runId: string;
  readonly conversationId: string;
  /** The employee's request for this run. */
  readonly request: string;
  readonly history: readonly ConversationTurn[];
  readonly tools: readonly ToolSummary[];
  /** Every step executed so far in this run, in order. Empty on the first call. */
  readonly observations: readonly StepObservation[];
  /** The plan the engine executed last, if any. */
  readonly previousPlan?: Plan;
  /** How many times next() was called before in this run; a planner stops replanning when it grows. */
  readonly iteration: number;
  readonly budget: BudgetMeter;
  readonly signal: AbortSignal;
  readonly logger: Logger;
  /** Streams the answer as it is generated (rendered as message.delta). */
  onAnswerDelta(text: string): void;
}

/**
 * Set on any decision when text that is not the requester's own words shaped it (see
 * derivedFromToolOutput); an answer so made is itself untrusted in later prompts of the thread.
 */
interface Provenanced {
  readonly untrustedInput?: boolean;
}

export type PlannerDecision = (
  | {
      readonly kind: 'plan';
      readonly plan: Plan;
      readonly tier: PlannerTier;
      readonly reason: string;
      /**
       * True when the plan was made while untrusted text (tool output, an answer restating it,
       * another person's message, stored facts) was in the prompt. A prompt injection could have
       * shaped it, so the engine requires approval for every write/high step of such a plan.
       */
      readonly derivedFromToolOutput?: boolean;
      /** True when no model was reachable and tier 0 planned instead. */
      readonly reducedMode?: boolean;
    }
  | { readonly kind: 'answer'; readonly text: string; readonly tier: PlannerTier; readonly reducedMode?: boolean }
  | { readonly kind: 'clarify'; readonly question: string; readonly tier: PlannerTier; readonly reducedMode?: boolean }
) & Provenanced;

/**
 * The engine calls next() first with no observations (plan), then after each batch of steps with
 * their observations, until the planner answers or asks a clarifying question.
 */
export interface Planner {
  next(ctx: PlanningContext): Promise<PlannerDecision>;
}
