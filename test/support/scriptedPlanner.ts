import { z } from 'zod';
import type { Planner, PlannerDecision, PlanningContext } from '../../src/planner/planner.js';
import { jsonValueSchema } from '../../src/core/json.js';

/**
 * A deterministic planner driven by the request text itself, so the same script works in the test
 * process and in worker child processes. A request that is JSON is a script:
 *   { "steps": [...plan steps...], "usage": {...}, "clarify": "...", "say": "..." }
 * Round 0 plans the steps (if any); the next round answers with what it observed. Any other request
 * is answered directly with "You said: <text>".
 */
const scriptSchema = z.object({
  steps: z.array(z.object({ id: z.string(), tool: z.string(), args: z.record(z.string(), jsonValueSchema), dependsOn: z.array(z.string()).default([]), title: z.string().default('Step') })).default([]),
  /** Model spend to reserve and settle before every decision. */
  usage: z.object({ inputTokens: z.number(), outputTokens: z.number(), costMicros: z.number(), maxOutputTokens: z.number().default(0) }).optional(),
  clarify: z.string().optional(),
  say: z.string().default(''),
  /** Tier reported for the plan (a model tier makes a replan count as derived from tool output). */
  tier: z.enum(['deterministic', 'fast', 'mid', 'power']).default('deterministic'),
  /** Plan these steps again after the first observations (a replan round). */
  replanSteps: z.array(z.object({ id: z.string(), tool: z.string(), args: z.record(z.string(), jsonValueSchema), dependsOn: z.array(z.string()).default([]), title: z.string().default('Step') })).optional(),
});

export class ScriptedPlanner implements Planner {
  readonly calls: number[] = [];

  async next(ctx: PlanningContext): Promise<PlannerDecision> {
    this.calls.push(ctx.iteration);
    if (!ctx.request.trim().startsWith('{')) {
      ctx.onAnswerDelta('You said: ');
      ctx.onAnswerDelta(ctx.request);
      return { kind: 'answer', text: `You said: ${ctx.request}`, tier: 'deterministic' };
    }
    const script = scriptSchema.parse(JSON.parse(ctx.request));
    if (script.usage) {
      const reservation = await ctx.budget.reserve({
        tier: 'fast',
        model: 'scripted',
        inputTokens: script.usage.inputTokens,
        maxOutputTokens: script.usage.maxOutputTokens,
        costMicros: script.usage.costMicros,
      });
      await reservation.settle({ tier: 'fast', model: 'scripted', inputTokens: script.usage.inputTokens, cachedInputTokens: 0, outputTokens: script.usage.outputTokens, costMicros: script.usage.costMicros });
    }
    if (script.clarify) return { kind: 'clarify', question: script.clarify, tier: 'deterministic' };
    if (ctx.iteration === 0 && script.steps.length > 0) {
      return { kind: 'plan', plan: { steps: script.steps, replanAfter: true }, tier: script.tier, reason: 'scripted' };
    }
    if (ctx.iteration === 1 && script.replanSteps) {
      return { kind: 'plan', plan: { steps: script.replanSteps, replanAfter: true }, tier: script.tier, reason: 'scripted replan' };
    }
    const seen = ctx.observations.map((o) => `${o.stepId}:${o.status}:${JSON.stringify(o.result ?? o.error ?? null)}`).join(' | ');
    const text = `${script.say} ${seen}`.trim();
    ctx.onAnswerDelta(text);
    return { kind: 'answer', text, tier: 'deterministic' };
  }
}
