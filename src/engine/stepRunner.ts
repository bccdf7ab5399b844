import { AccountNotLinkedError, BudgetExceededError, isSwitchboardError } from '../core/errors.js';
import type { JsonObject, JsonValue } from '../core/json.js';
import type { StepStatus } from '../events/runEvent.js';
import type { Step } from '../generated/prisma/client.js';
import type { CredentialAccessor } from '../tools/credentials.js';
import { ApprovalAlreadyPendingError, ApprovalChangedError, NoEligibleApproverError, ToolNotFoundError } from '../tools/pipeline/errors.js';
import { argsHashOf } from '../tools/pipeline/idempotencyKey.js';
import { errorBody } from '../tools/pipeline/normalize.js';
import type { ToolCallRequest } from '../tools/pipeline/types.js';
import type { RegisteredTool } from '../tools/registry.js';
import { resolveApprovers } from './approvals/approverResolver.js';
import { actingIdentityOf } from './approvals/actingIdentity.js';
import { buildActionView } from '../tools/actionView.js';
import type { EngineDeps } from './engineDeps.js';
import { summarizeToolOutput } from '../tools/outputSummary.js';
import { containsRef, resolveRefs } from './refs.js';
import { forgetSteps, rememberStep } from './runState.js';
import type { RunSession } from './session.js';

const NO_CREDENTIALS: CredentialAccessor = {
  forUser: () => Promise.reject(new Error('built-in tools have no credentials')),
  forService: () => Promise.reject(new Error('built-in tools have no credentials')),
  invalidate: async () => undefined,
};

/** Runs one step of the current plan as far as it can go now: to a final status or a wait. */
export class StepRunner {
  constructor(private readonly deps: EngineDeps) {}

  async run(session: RunSession, step: Step, outputs: ReadonlyMap<string, JsonValue>, planTainted: boolean): Promise<StepStatus> {
    const { deps } = this;
    const fail = (error: unknown) => this.finish(session, step, 'failed', undefined, error);
    const tool = session.registry.get(step.tool);
    if (!tool) return fail(new ToolNotFoundError(step.tool));
    let args: JsonObject;
    try {
      args = resolveRefs(step.args as JsonObject, outputs);
    } catch (error) {
      return fail(error);
    }
    // Budget before the step starts (not when it resumes from an approval or a crash: it was counted then).
    let running = step.status === 'running';
    if (step.status === 'pending') {
      await session.budget.beforeStep({ persistedByCaller: true });
      const startedAt = new Date();
      const moved = await deps.events.emitWithStep(session.ref, { stepId: step.id, status: 'running', fromStatuses: ['pending'], startedAt, countStep: true }, { type: 'step.started', stepId: step.key, title: step.title });
      if (moved) rememberStep(session, step.id, { status: 'running', startedAt });
      else forgetSteps(session);
      running = true;
    }
    const req: ToolCallRequest = {
      tenant: session.tenant,
      runId: session.run.id,
      step: { id: step.id, key: step.key },
      tool,
      args,
      user: session.user,
      credentials: tool.connector ? deps.credentialsFor({ tenantId: session.tenant.id, userId: session.user.id, connector: tool.connector }) : NO_CREDENTIALS,
      tainted: planTainted || containsRef(step.args as JsonValue),
      signal: session.signal,
      logger: session.logger,
      fence: session.run.fence,
      ...(session.confirmLease ? { confirmLease: session.confirmLease } : {}),
    };
    let checked;
    try {
      checked = await deps.pipeline.check(req);
    } catch (error) {
      if (error instanceof AccountNotLinkedError) return this.awaitLink(session, step, tool, error);
      if (error instanceof BudgetExceededError) throw error;
      return fail(error);
    }
    if (checked.approval.required) {
      const gate = await this.approvalGate(session, step, tool, args, checked.args, checked.approval, req.credentials, () => deps.pipeline.precheck(req, checked));
      if (gate !== 'approved') return gate;
      running = false; // the gate parked the step as awaiting_approval
    }
    if (!running) {
      await deps.tables.steps.update(session.tenant.id, step.id, { status: 'running' });
      rememberStep(session, step.id, { status: 'running' });
    }
    const started = performance.now();
    // A finished read-only call is recorded in the step's own statement (finish), not separately.
    deps.tables.toolCalls?.holdForStep(step.id);
    try {
      const outcome = await deps.pipeline.execute(req, checked);
      deps.metrics?.stepSeconds.observe({ tenant: session.tenant.id, status: outcome.status }, (performance.now() - started) / 1000);
      if (outcome.status === 'succeeded') return await this.finish(session, step, 'succeeded', outcome.output);
      return await this.finish(session, step, outcome.status, undefined, outcome.result.error);
    } finally {
      await deps.tables.toolCalls?.releaseHeld(step.id);
    }
  }

  private async approvalGate(
    session: RunSession,
    step: Step,
    tool: RegisteredTool,
    args: JsonObject,
    parsedArgs: unknown,
    requirement: { approverSpecs: readonly string[]; reason: string; expiresAfterMinutes: number },
    credentials: CredentialAccessor,
    precheck: () => Promise<{ status: 'needed' } | { status: 'not_needed'; output: JsonValue }>,
  ): Promise<StepStatus | 'approved'> {
    const { deps } = this;
    const tenantId = session.tenant.id;
    const argsHash = argsHashOf(tool.name, args);
    const existing = await deps.tables.approvals.forStep(tenantId, step.id);
    if (existing) {
      if (existing.status === 'pending' && existing.expiresAt.getTime() <= Date.now()) {
        await deps.tables.approvals.expireDue(tenantId, existing.id);
        return this.finish(session, step, 'failed', undefined, { code: 'approval_expired', message: 'Nobody approved this action in time, so I did not do it.' });
      }
      if (existing.status === 'pending') return 'awaiting_approval';
      if (existing.status === 'expired') return this.finish(session, step, 'failed', undefined, { code: 'approval_expired', message: 'Nobody approved this action in time, so I did not do it.' });
      if (existing.status === 'denied') return this.finish(session, step, 'denied', undefined, { code: 'approval_denied', message: 'The approver declined this action, so I did not do it.' });
      // Withdrawn by the requester (approval lifecycle): never executed, whatever woke the run.
      if (existing.status === 'cancelled') return this.finish(session, step, 'denied', undefined, { code: 'approval_cancelled', message: 'You cancelled this request, so I did not do it.' });
      if (existing.argsHash !== argsHash) return this.finish(session, step, 'failed', undefined, new ApprovalChangedError('its details changed'));
      return 'approved';
    }
    // Ask only when it matters: nothing to change means no approver.
    const needed = await precheck();
    if (needed.status === 'not_needed') return this.finish(session, step, 'succeeded', needed.output);
    const approvers = await resolveApprovers(deps.tables.directory, session.tenant, session.user.id, requirement.approverSpecs);
    if (approvers.length === 0) return this.finish(session, step, 'failed', undefined, new NoEligibleApproverError(tool.name));
    const action = tool.definition.describe?.(parsedArgs) ?? step.title;
    // Built once from the arguments that will run: every surface renders this same card.
    const view = buildActionView({ headline: action, args: parsedArgs, actingAs: await actingIdentityOf(tool, credentials) });
    const expiresAt = new Date(Date.now() + requirement.expiresAfterMinutes * 60_000);
    // The same request already waiting means no second one: the employee hears that it is waiting.
    const { approval, created, merged } = await deps.tables.approvals.createUnlessPending({
      tenantId, runId: session.run.id, stepId: step.id, tool: tool.name, action, args, argsHash, risk: tool.definition.risk,
      reason: requirement.reason, requesterId: session.user.id, approverIds: approvers.map((a) => a.userId), expiresAt,
      view: view as unknown as JsonObject,
    });
    if (merged) return this.finish(session, step, 'skipped', undefined, new ApprovalAlreadyPendingError(approval.expiresAt));
    await deps.tables.steps.update(tenantId, step.id, { status: 'awaiting_approval' });
    rememberStep(session, step.id, { status: 'awaiting_approval' });
    if (created) {
      await deps.events.emit(session.ref, {
        type: 'approval.requested',
        approvalId: approval.id,
        stepId: step.key,
        tool: tool.name,
        action,
        risk: tool.definition.risk,
        reason: requirement.reason,
        requester: { userId: session.user.id, displayName: session.user.displayName, email: session.user.email },
        approvers,
        expiresAt: approval.expiresAt.toISOString(),
        view,
      });
    }
    return 'awaiting_approval';
  }

  private async awaitLink(session: RunSession, step: Step, tool: RegisteredTool, error: AccountNotLinkedError): Promise<StepStatus> {
    const connectorId = tool.connector?.id ?? error.connectorId;
    await this.deps.tables.steps.update(session.tenant.id, step.id, { status: 'awaiting_link' });
    rememberStep(session, step.id, { status: 'awaiting_link' });
    const url = await this.deps.linkUrl({ tenantId: session.tenant.id, userId: session.user.id, connectorId, runId: session.run.id });
    await this.deps.events.emit(session.ref, {
      type: 'account.link_required',
      connectorId,
      connectorName: tool.connector?.displayName ?? connectorId,
      url,
    });
    return 'awaiting_link';
  }

  private async finish(session: RunSession, step: Step, status: StepStatus, output?: JsonValue, error?: unknown): Promise<StepStatus> {
    const body = error === undefined ? undefined : isPlainError(error) ? error : errorBody(error);
    await this.deps.onBoundary?.('step.before_record', { runId: session.run.id, stepKey: step.key });
    const toolCall = this.deps.tables.toolCalls?.takeHeld(step.id);
    const transition = { stepId: step.id, status, ...(output !== undefined ? { output } : {}), ...(body ? { error: body } : {}), finishedAt: new Date(), ...(toolCall ? { toolCall } : {}) };
    const recorded = await this.deps.events.emitWithStep(session.ref, transition, status === 'succeeded'
      ? { type: 'step.finished', stepId: step.key, title: step.title, summary: summarizeToolOutput(session.registry.get(step.tool)?.definition, output, step.args) }
      : { type: 'step.failed', stepId: step.key, title: step.title, error: body ?? { code: status, message: status } });
    if (recorded) rememberStep(session, step.id, transition);
    else {
      forgetSteps(session);
      // The step's record did not apply, so neither did the call's: record the call on its own.
      if (toolCall) await this.deps.tables.toolCalls?.insertFinished(toolCall);
    }
    await this.deps.onBoundary?.('step.recorded', { runId: session.run.id, stepKey: step.key });
    return status;
  }
}

function isPlainError(value: unknown): value is { code: string; message: string } {
  return !isSwitchboardError(value) && typeof value === 'object' && value !== null && 'code' in value && 'message' in value && !(value instanceof Error);
}
