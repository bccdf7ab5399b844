import { inChildSpan } from './tracingContext.js';

/** The ids of a plan step a span may carry (never its title or arguments, which quote the request). */
export interface TracedStep {
  readonly id: string;
  readonly tenantId: string;
  readonly runId: string;
  readonly tool: string;
  readonly planVersion: number;
}

/** One step of a plan as a `step <tool>` span inside the traced run; its tool call nests below it. */
export function inStepSpan<T>(step: TracedStep, work: () => Promise<T>): Promise<T> {
  const attributes = {
    'switchboard.tenant_id': step.tenantId, 'switchboard.run_id': step.runId, 'switchboard.step_id': step.id,
    'switchboard.tool': step.tool, 'switchboard.plan_version': step.planVersion,
  };
  return inChildSpan(`step ${step.tool}`, attributes, async (span) => {
    const status = await work();
    if (typeof status === 'string') span?.setAttribute('switchboard.step_status', status);
    return status;
  });
}
