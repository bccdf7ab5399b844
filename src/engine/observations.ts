import type { Step } from '../generated/prisma/client.js';
import type { JsonObject } from '../core/json.js';
import type { StepObservation } from '../planner/planner.js';

const OBSERVABLE = new Set(['succeeded', 'failed', 'denied', 'unverified', 'skipped']);

/** What the planner sees of executed steps; results are wrapped as untrusted data. */
export function observationsOf(steps: readonly Step[], currentPlanVersion: number, summarize: (step: Step) => string | undefined = () => undefined): StepObservation[] {
  return steps
    .filter((s) => OBSERVABLE.has(s.status))
    .map((s) => ({
      stepId: s.planVersion === currentPlanVersion ? s.key : `v${s.planVersion}.${s.key}`,
      tool: s.tool,
      args: (s.args ?? {}) as JsonObject,
      status: s.status as StepObservation['status'],
      ...(s.status === 'succeeded' ? { result: { untrusted: true, data: s.output } } : {}),
      ...withSummary(s.status === 'succeeded' ? summarize(s) : undefined),
      ...(s.error ? { error: s.error as { code: string; message: string } } : {}),
    }));
}

function withSummary(summary: string | undefined): { summary?: string } {
  return summary ? { summary } : {};
}
