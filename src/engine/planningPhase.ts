import type { Prisma } from '../generated/prisma/client.js';
import { SwitchboardError } from '../core/errors.js';
import type { PlannerDecision, PlanningContext } from '../planner/planner.js';
import type { EngineDeps } from './engineDeps.js';
import { observationsOf } from './observations.js';
import { summarizeToolOutput } from '../tools/outputSummary.js';
import { planSchema } from './plan.js';
import type { RunSession, StoredPlan } from './session.js';

export class InvalidPlanError extends SwitchboardError {
  constructor(problem: string) {
    super('planner_invalid_plan', `planner returned an invalid plan: ${problem}`, { userMessage: 'I could not work out a valid set of steps for that request. Could you rephrase it?' });
  }
}

/** Asks the planner for the next decision and, for a plan, persists it (steps + run) before anything runs. */
export class PlanningPhase {
  constructor(private readonly deps: EngineDeps) {}

  async next(session: RunSession, onAnswerDelta: (text: string) => void): Promise<PlannerDecision> {
    const { deps } = this;
    const { run, tenant } = session;
    session.budget.assertTime();
    const steps = await deps.tables.steps.listForRun(tenant.id, run.id);
    const observations = observationsOf(steps, run.planVersion, (step) => {
      const definition = session.registry.get(step.tool)?.definition;
      return definition?.summarize ? summarizeToolOutput(definition, step.output, step.args) : undefined;
    });
    const history = await deps.tables.directory.history(tenant.id, run.conversationId, deps.settings.historyTurns, run.createdAt);
    const previous = run.plan as StoredPlan | null;
    const ctx: PlanningContext = {
      tenantId: tenant.id,
      userId: run.userId,
      runId: run.id,
      conversationId: run.conversationId,
      request: run.input,
      history: history.map((h) => ({ role: h.role === 'assistant' ? 'assistant' : h.role === 'summary' ? 'summary' : 'user', content: h.content })),
      tools: session.registry.summaries(),
      observations,
      ...(previous ? { previousPlan: previous.plan } : {}),
      iteration: run.iteration,
      budget: session.budget,
      signal: session.signal,
      logger: session.logger,
      onAnswerDelta,
    };
    const decision = await deps.plannerFor(tenant).next(ctx);
    if (decision.kind === 'plan') await this.persistPlan(session, decision, observations.length > 0);
    return decision;
  }

  private async persistPlan(session: RunSession, decision: Extract<PlannerDecision, { kind: 'plan' }>, sawObservations: boolean): Promise<void> {
    const parsed = planSchema.safeParse(decision.plan);
    if (!parsed.success) throw new InvalidPlanError(parsed.error.issues.map((i) => i.message).join('; '));
    const plan = parsed.data;
    const flagged = (decision as { derivedFromToolOutput?: unknown }).derivedFromToolOutput === true || (decision.plan as { derivedFromToolOutput?: unknown }).derivedFromToolOutput === true;
    const stored: StoredPlan = {
      plan,
      tier: decision.tier,
      reason: decision.reason,
      // A model that has read tool output may have been steered by it; the deterministic tier cannot be.
      derivedFromToolOutput: flagged || (sawObservations && decision.tier !== 'deterministic'),
    };
    const { run, tenant } = session;
    const planVersion = run.planVersion + 1;
    const updated = await this.deps.prisma.$transaction(async (tx) => {
      await this.deps.tables.steps.insertPlan(tx, tenant.id, run.id, planVersion, plan.steps);
      return tx.run.update({
        where: { id: run.id, tenantId: tenant.id },
        data: {
          plan: stored as unknown as Prisma.InputJsonObject,
          planVersion,
          iteration: { increment: 1 },
          status: 'executing',
          routing: { tier: decision.tier, reason: decision.reason },
          version: { increment: 1 },
        },
      });
    });
    session.run = updated;
    await this.deps.events.emit(session.ref, {
      type: 'plan.created',
      tier: decision.tier,
      plan: { ...(plan.summary ? { summary: plan.summary } : {}), steps: plan.steps.map((s) => ({ id: s.id, title: s.title, tool: s.tool, status: 'pending' as const })) },
    });
    await this.deps.onBoundary?.('run.planned', { runId: run.id });
  }
}
