import type { Prisma } from '../generated/prisma/client.js';
import { SwitchboardError } from '../core/errors.js';
import type { PlannerDecision, PlanningContext } from '../planner/planner.js';
import type { EngineDeps } from './engineDeps.js';
import { observationsOf } from './observations.js';
import { summarizeToolOutput } from '../tools/outputSummary.js';
import { isTrusted } from '../memory/provenance.js';
import { ThreadHistory } from '../memory/threadHistory.js';
import { planSchema } from './plan.js';
import { isSeqCollision } from './persistence/runEventsTable.js';
import { rememberNewSteps, stepsOf } from './runState.js';
import type { RunSession, StoredPlan } from './session.js';

/** A plan write lost an event-seq race with another writer of the run this many times: give up (the job retries). */
const PLAN_WRITE_ATTEMPTS = 5;

interface Exposure {
  /** Text that is not the requester's own words reached the planner (its answer is untrusted later). */
  readonly sawUntrusted: boolean;
  /** Every write/high step of the plan needs approval, whatever the tier and the policy. */
  readonly tainted: boolean;
}

/**
 * The taint rule's planning half. A model tier is tainted by whatever untrusted text was in its
 * prompt (tool output, derived answers, other people's messages, summaries of them, stored facts);
 * it reports what it actually sent, and the engine adds what it knows was offered. Tier 0 reads no
 * history and no facts as instructions, so only its own report (untrustedInput) taints its plans.
 */
export function untrustedExposure(decision: PlannerDecision, sawObservations: boolean, untrustedHistory: boolean): Exposure {
  const flagged = decision.untrustedInput === true || (decision.kind === 'plan' && decision.derivedFromToolOutput === true);
  const model = decision.tier !== 'deterministic';
  return {
    sawUntrusted: flagged || sawObservations || (model && untrustedHistory),
    tainted: flagged || (model && (sawObservations || untrustedHistory)),
  };
}

export class InvalidPlanError extends SwitchboardError {
  constructor(problem: string) {
    super('planner_invalid_plan', `planner returned an invalid plan: ${problem}`, { userMessage: 'I could not work out a valid set of steps for that request. Could you rephrase it?' });
  }
}

/** Asks the planner for the next decision and, for a plan, persists it (steps + run) before anything runs. */
export class PlanningPhase {
  private readonly history: ThreadHistory;
  constructor(private readonly deps: EngineDeps) {
    this.history = new ThreadHistory(deps.prisma);
  }

  async next(session: RunSession, onAnswerDelta: (text: string) => void): Promise<PlannerDecision> {
    const { deps } = this;
    const { run, tenant } = session;
    session.budget.assertTime();
    const steps = await stepsOf(session, deps.tables.steps);
    const observations = observationsOf(steps, run.planVersion, (step) => {
      const definition = session.registry.get(step.tool)?.definition;
      return definition?.summarize ? summarizeToolOutput(definition, step.output, step.args) : undefined;
    });
    // Only turns before this run: they cannot change while it works, so one read per attempt.
    session.history ??= await this.history.recent({ tenantId: tenant.id, conversationId: run.conversationId, requesterId: run.userId, limit: deps.settings.historyTurns, before: run.createdAt });
    const history = session.history;
    const previous = run.plan as StoredPlan | null;
    const ctx: PlanningContext = {
      tenantId: tenant.id,
      userId: run.userId,
      runId: run.id,
      conversationId: run.conversationId,
      request: run.input,
      history,
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
    const exposure = untrustedExposure(decision, observations.length > 0, history.some((t) => !isTrusted(t.provenance)));
    if (decision.kind === 'plan') await this.persistPlan(session, decision, exposure);
    else if (exposure.sawUntrusted) await this.markUntrusted(session);
    return decision;
  }

  /** The run's answer will restate untrusted text: later prompts of the thread must fence it. */
  private async markUntrusted(session: RunSession): Promise<void> {
    if (session.run.untrustedContext) return;
    await this.deps.prisma.run.updateMany({ where: { id: session.run.id, tenantId: session.tenant.id }, data: { untrustedContext: true } });
    session.run = { ...session.run, untrustedContext: true };
  }

  private async persistPlan(session: RunSession, decision: Extract<PlannerDecision, { kind: 'plan' }>, exposure: Exposure): Promise<void> {
    const parsed = planSchema.safeParse(decision.plan);
    if (!parsed.success) throw new InvalidPlanError(parsed.error.issues.map((i) => i.message).join('; '));
    const plan = parsed.data;
    const stored: StoredPlan = {
      plan,
      tier: decision.tier,
      reason: decision.reason,
      derivedFromToolOutput: exposure.tainted,
    };
    const { run, tenant } = session;
    const planVersion = run.planVersion + 1;
    const announced = {
      type: 'plan.created' as const,
      tier: decision.tier,
      plan: { ...(plan.summary ? { summary: plan.summary } : {}), steps: plan.steps.map((s) => ({ id: s.id, title: s.title, tool: s.tool, status: 'pending' as const })) },
    };
    // Steps, run and the plan.created event in one transaction (one commit); another writer that
    // took the same event seq aborts it, so it is retried whole.
    const write = () => this.deps.prisma.$transaction(async (tx) => {
      const rows = await this.deps.tables.steps.insertPlan(tx, tenant.id, run.id, planVersion, plan.steps);
      const row = await tx.run.update({
        where: { id: run.id, tenantId: tenant.id },
        data: {
          plan: stored as unknown as Prisma.InputJsonObject,
          planVersion,
          iteration: { increment: 1 },
          status: 'executing',
          routing: { tier: decision.tier, reason: decision.reason },
          ...(exposure.sawUntrusted ? { untrustedContext: true } : {}),
          version: { increment: 1 },
        },
      });
      const event = await this.deps.events.appendIn(tx, session.ref, announced);
      return { updated: row, inserted: rows, event };
    });
    let written: Awaited<ReturnType<typeof write>> | undefined;
    for (let attempt = 1; !written; attempt += 1) {
      try {
        written = await write();
      } catch (error) {
        if (attempt >= PLAN_WRITE_ATTEMPTS || !isSeqCollision(error)) throw error;
      }
    }
    session.run = written.updated;
    rememberNewSteps(session, written.inserted, plan.steps.length);
    if (written.event) await this.deps.events.announce(written.event);
    await this.deps.onBoundary?.('run.planned', { runId: run.id });
  }
}
