import type { Planner } from '../planner/planner.js';
import { inChildSpan } from './tracingContext.js';

/**
 * Each planning pass as a `planning` span inside the traced run (model calls nest below it). Only ids
 * and the decision's kind and tier are recorded, never the request, the plan's arguments or the answer.
 */
export function tracedPlanner(planner: Planner): Planner {
  return {
    next: (ctx) => inChildSpan('planning', { 'switchboard.tenant_id': ctx.tenantId, 'switchboard.run_id': ctx.runId, 'switchboard.planning_iteration': ctx.iteration }, async (span) => {
      const decision = await planner.next(ctx);
      span?.setAttributes({ 'switchboard.decision': decision.kind, 'switchboard.planner_tier': decision.tier, ...(decision.kind === 'plan' ? { 'switchboard.plan_steps': decision.plan.steps.length } : {}) });
      return decision;
    }),
  };
}
