import { z } from 'zod';
import { jsonValueSchema, type JsonValue } from '../core/json.js';

/**
 * A plan is a DAG of tool steps. An argument may reference an earlier step's output with
 * `{ "$ref": "<stepId>.<path>" }`, e.g. `{ "$ref": "s1.data.issues.0.key" }`; such a step must list
 * that step in `dependsOn`. The engine resolves references before validation.
 */
export const stepIdSchema = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,31}$/, 'step ids are short identifiers like "s1"');

export const planStepSchema = z.object({
  id: stepIdSchema,
  tool: z.string().min(1).max(64),
  args: z.record(z.string(), jsonValueSchema),
  dependsOn: z.array(stepIdSchema).default([]),
  /** Checklist line shown to the employee. */
  title: z.string().min(1).max(200),
});

export const planSchema = z
  .object({
    steps: z.array(planStepSchema).max(20),
    /** When true the planner wants to see the results before answering (ReAct continuation). */
    replanAfter: z.boolean().default(false),
    /** A short sentence shown above the checklist. */
    summary: z.string().max(300).optional(),
  })
  .superRefine((plan, ctx) => {
    const ids = new Set<string>();
    for (const step of plan.steps) {
      if (ids.has(step.id)) ctx.addIssue({ code: 'custom', message: `duplicate step id ${step.id}` });
      ids.add(step.id);
    }
    for (const step of plan.steps) {
      for (const dep of step.dependsOn) {
        if (!ids.has(dep)) ctx.addIssue({ code: 'custom', message: `step ${step.id} depends on unknown step ${dep}` });
        if (dep === step.id) ctx.addIssue({ code: 'custom', message: `step ${step.id} depends on itself` });
      }
    }
    if (hasCycle(plan.steps)) ctx.addIssue({ code: 'custom', message: 'the plan has a dependency cycle' });
  });

export type PlanStep = z.infer<typeof planStepSchema>;
export type Plan = z.infer<typeof planSchema>;
export type StepArgs = Record<string, JsonValue>;

function hasCycle(steps: readonly PlanStep[]): boolean {
  const deps = new Map(steps.map((s) => [s.id, s.dependsOn]));
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string): boolean => {
    const mark = state.get(id);
    if (mark === 'done') return false;
    if (mark === 'visiting') return true;
    state.set(id, 'visiting');
    for (const dep of deps.get(id) ?? []) if (deps.has(dep) && visit(dep)) return true;
    state.set(id, 'done');
    return false;
  };
  return steps.some((s) => visit(s.id));
}
