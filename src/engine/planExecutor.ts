import type { JsonValue } from '../core/json.js';
import type { StepStatus } from '../events/runEvent.js';
import type { Step } from '../generated/prisma/client.js';
import type { EngineDeps } from './engineDeps.js';
import { inStepSpan } from '../observability/tracingSteps.js';
import { forgetSteps, rememberStep, stepsOf } from './runState.js';
import type { RunSession, StoredPlan } from './session.js';
import { StepRunner } from './stepRunner.js';

const FINAL: ReadonlySet<string> = new Set(['succeeded', 'failed', 'skipped', 'unverified', 'denied']);
const BLOCKING: ReadonlySet<string> = new Set(['failed', 'skipped', 'unverified', 'denied']);

export type PlanProgress = 'done' | 'awaiting_approval' | 'awaiting_link';

/**
 * Executes the current plan's DAG: every ready step (dependencies succeeded) runs concurrently;
 * steps behind a failed dependency are skipped; the run waits when a step waits for a person.
 */
export class PlanExecutor {
  private readonly steps: StepRunner;

  constructor(private readonly deps: EngineDeps) {
    this.steps = new StepRunner(deps);
  }

  async execute(session: RunSession, stored: StoredPlan): Promise<PlanProgress> {
    const tenantId = session.tenant.id;
    const triedLink = new Set<string>();
    for (;;) {
      session.signal.throwIfAborted();
      const all = await stepsOf(session, this.deps.tables.steps);
      const current = all.filter((s) => s.planVersion === session.run.planVersion);
      const byKey = new Map(current.map((s) => [s.key, s]));
      const outputs = new Map<string, JsonValue>(current.filter((s) => s.status === 'succeeded').map((s) => [s.key, (s.output ?? null) as JsonValue]));
      const ready: Step[] = [];
      let waitingApproval = false;
      let waitingLink = false;
      for (const step of current) {
        if (FINAL.has(step.status)) continue;
        const deps = step.dependsOn.map((key) => byKey.get(key));
        if (deps.some((d) => d && BLOCKING.has(d.status))) {
          await this.skip(session, step);
          continue;
        }
        if (!deps.every((d) => d?.status === 'succeeded')) continue;
        if (step.status === 'awaiting_approval') {
          const approval = await this.deps.tables.approvals.forStep(tenantId, step.id);
          if (approval?.status === 'pending' && approval.expiresAt.getTime() > Date.now()) {
            waitingApproval = true;
            continue;
          }
        }
        if (step.status === 'awaiting_link') {
          if (triedLink.has(step.id)) {
            waitingLink = true;
            continue;
          }
          triedLink.add(step.id);
        }
        ready.push(step);
      }
      if (ready.length === 0) {
        if (waitingLink) return 'awaiting_link';
        if (waitingApproval) return 'awaiting_approval';
        return 'done';
      }
      const results = await Promise.allSettled(ready.map((step) => inStepSpan(step, () => this.steps.run(session, step, outputs, stored.derivedFromToolOutput))));
      const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (rejected) {
        forgetSteps(session);
        throw rejected.reason;
      }
      for (const [i, result] of results.entries()) {
        const status = (result as PromiseFulfilledResult<StepStatus>).value;
        if (status === 'awaiting_link') triedLink.add(ready[i]!.id);
        // Waits involve approvals and links written by others: look at the steps afresh.
        if (!FINAL.has(status)) forgetSteps(session);
      }
    }
  }

  private async skip(session: RunSession, step: Step): Promise<void> {
    const error = { code: 'dependency_failed', message: 'Skipped because an earlier step did not succeed.' };
    const finishedAt = new Date();
    await this.deps.tables.steps.update(session.tenant.id, step.id, { status: 'skipped', error, finishedAt });
    rememberStep(session, step.id, { status: 'skipped', error, finishedAt });
    await this.deps.events.emit(session.ref, { type: 'step.failed', stepId: step.key, title: step.title, error });
  }
}
