import { BrokenCircuitError, BulkheadRejectedError, TaskCancelledError } from 'cockatiel';
import type { JsonValue } from '../../core/json.js';
import type { EngineMetrics } from '../../observability/metrics.js';
import { inChildSpan } from '../../observability/tracingContext.js';
import type { ReconcileResult, ToolContext } from '../tool.js';
import { approvalRequirement, type ApprovalRequirement } from './approvalGate.js';
import { authorize } from './authorize.js';
import { ToolOutputError, ToolTimeoutError, ToolUnavailableError, ToolUnverifiedError } from './errors.js';
import { idempotencyKeyFor } from './idempotencyKey.js';
import { errorBody, errorResult, okResult } from './normalize.js';
import type { ResiliencePolicies } from './resilience.js';
import type { BoundaryHook, ToolCallRecord, ToolCallRequest, ToolCallStore, ToolOutcome } from './types.js';
import { validateArgs } from './validateArgs.js';
import { outcomeUnknown, ToolUnconfirmedError } from './unknownOutcome.js';

type ReconcileVerdict = ReconcileResult<unknown>;

export interface CheckedCall {
  readonly args: unknown;
  readonly actingIdentity: string;
  readonly approval: ApprovalRequirement;
}

export interface ToolPipelineDeps {
  readonly policies: ResiliencePolicies;
  readonly calls: ToolCallStore;
  readonly metrics?: EngineMetrics;
  readonly onBoundary?: BoundaryHook;
}

/**
 * The per-call path every tool takes. `check` (validate → authorize → approval gate) runs before a
 * step may execute and again when an approval is acted on; `execute` (idempotency key → durable
 * tool_calls row → cockatiel policies → tool → output schema → normalized, untrusted result).
 */
export class ToolPipeline {
  constructor(private readonly deps: ToolPipelineDeps) {}

  async check(req: ToolCallRequest): Promise<CheckedCall> {
    const args = validateArgs(req.tool, req.args);
    const actingIdentity = await authorize(req.tenant, req.tool, req.user.id, req.credentials);
    const approval = approvalRequirement(req.tenant, req.tool.name, req.tool.definition.risk, req.tainted);
    return { args, actingIdentity, approval };
  }

  /**
   * The tool's read-only precheck, before an approver is asked. Its output passes the tool's output
   * schema or it does not count; any error means "ask as usual".
   */
  async precheck(req: ToolCallRequest, checked: CheckedCall): Promise<{ status: 'needed' } | { status: 'not_needed'; output: JsonValue }> {
    const precheck = req.tool.definition.precheck;
    if (!precheck) return { status: 'needed' };
    const signal = AbortSignal.any([req.signal, AbortSignal.timeout(this.deps.policies.settings.timeoutMs)]);
    try {
      const verdict = await precheck.call(req.tool.definition, { ...this.contextFor(req, idempotencyKeyFor(req.runId, req.step.key, req.tool.name, req.args)), signal }, checked.args);
      if (verdict.status !== 'not_needed') return { status: 'needed' };
      const parsed = req.tool.definition.output.safeParse(verdict.output);
      return parsed.success ? { status: 'not_needed', output: okResult(parsed.data).output } : { status: 'needed' };
    } catch (error) {
      req.logger.warn({ runId: req.runId, tool: req.tool.name, code: errorBody(error).code }, 'precheck failed; asking the approver as usual');
      return { status: 'needed' };
    }
  }

  /** One tool call, as a `tool <name>` span (ids only) when the run is traced. */
  execute(req: ToolCallRequest, checked: CheckedCall): Promise<ToolOutcome> {
    const attributes = {
      'switchboard.tenant_id': req.tenant.id, 'switchboard.run_id': req.runId, 'switchboard.step_id': req.step.id,
      'switchboard.tool': req.tool.name, ...(req.tool.connector ? { 'switchboard.connector_id': req.tool.connector.id } : {}),
    };
    return inChildSpan(`tool ${req.tool.name}`, attributes, async (span) => {
      const outcome = await this.executeCall(req, checked);
      span?.setAttribute('switchboard.tool_status', outcome.status);
      return outcome;
    });
  }

  private async executeCall(req: ToolCallRequest, checked: CheckedCall): Promise<ToolOutcome> {
    const { tool } = req;
    // A failure recorded for an earlier plan version's step is not this step's call: a replanned
    // retry takes the next attempt's key and runs; this step's own call (a crash, a resumed
    // approval) is always found again under its own key and reconciled, never repeated.
    for (let attempt = 0; ; attempt += 1) {
      const idempotencyKey = idempotencyKeyFor(req.runId, req.step.key, tool.name, req.args, attempt);
      const { record, created } = await this.deps.calls.begin({
        tenantId: req.tenant.id,
        runId: req.runId,
        stepId: req.step.id,
        tool: tool.name,
        ...(tool.connector ? { connectorId: tool.connector.id } : {}),
        actingUserId: req.user.id,
        actingIdentity: checked.actingIdentity,
        idempotencyKey,
        idempotent: tool.definition.idempotent,
        risk: tool.definition.risk,
        args: req.args,
        ...(req.fence !== undefined ? { fence: req.fence } : {}),
      });
      if (!created && record.status === 'failed' && record.stepId !== req.step.id) continue;
      const ctx = this.contextFor(req, idempotencyKey);
      if (!created) {
        const settled = settledOutcome(record);
        if (settled) return settled;
        // A call left `started` by a crashed worker: never repeat a non-idempotent one blindly.
        if (!tool.definition.idempotent) return this.reconcile(req, checked, ctx, record);
      }
      return this.run(req, checked, ctx, record);
    }
  }

  private async readBack(req: ToolCallRequest, checked: CheckedCall, ctx: ToolContext): Promise<ReconcileVerdict> {
    const reconcile = req.tool.definition.reconcile;
    if (!reconcile) return { status: 'unknown' };
    try {
      return await reconcile.call(req.tool.definition, ctx, checked.args);
    } catch (error) {
      req.logger.warn({ runId: req.runId, tool: req.tool.name, code: errorBody(error).code }, 'reconcile failed');
      return { status: 'unknown' };
    }
  }

  /**
   * A write timed out or lost its response: it may have been applied. Read it back before anything
   * is reported; "did not happen" only when the system says so, "unconfirmed" when it cannot tell.
   */
  private async settleUnknown(req: ToolCallRequest, checked: CheckedCall, ctx: ToolContext, original: unknown): Promise<ToolOutcome> {
    // The read-back gets at least 10 s: a slow answer here costs a wait, a missing one a wrong report.
    const readBackMs = Math.max(this.deps.policies.settings.timeoutMs, 10_000);
    const verdict = await this.readBack(req, checked, { ...ctx, signal: AbortSignal.any([req.signal, AbortSignal.timeout(readBackMs)]) });
    if (verdict.status === 'applied') {
      const parsed = req.tool.definition.output.safeParse(verdict.output);
      if (parsed.success) return { status: 'succeeded', ...okResult(parsed.data) };
    }
    if (verdict.status === 'not_applied') return { status: 'failed', result: errorResult(original) };
    req.logger.warn({ runId: req.runId, tool: req.tool.name }, 'write outcome unknown after read-back');
    return { status: 'unverified', result: errorResult(new ToolUnconfirmedError(req.tool.name)) };
  }

  private async reconcile(req: ToolCallRequest, checked: CheckedCall, ctx: ToolContext, record: ToolCallRecord): Promise<ToolOutcome> {
    const started = Date.now();
    const verdict = await this.readBack(req, checked, ctx);
    if (verdict.status === 'not_applied') return this.run(req, checked, ctx, record);
    if (verdict.status === 'applied') {
      const parsed = req.tool.definition.output.safeParse(verdict.output);
      if (parsed.success) {
        const ok = okResult(parsed.data);
        await this.deps.calls.finish(req.tenant.id, record.id, { status: 'succeeded', attempts: record.attempts, durationMs: Date.now() - started, result: ok.output });
        return { status: 'succeeded', ...ok };
      }
    }
    const error = new ToolUnverifiedError(req.tool.name);
    await this.deps.calls.finish(req.tenant.id, record.id, { status: 'unverified', attempts: record.attempts, durationMs: Date.now() - started, error: errorBody(error) });
    return { status: 'unverified', result: errorResult(error) };
  }

  private async run(req: ToolCallRequest, checked: CheckedCall, ctx: ToolContext, record: ToolCallRecord): Promise<ToolOutcome> {
    const { tool } = req;
    const started = performance.now();
    let attempts = record.attempts;
    const connectorId = tool.connector?.id ?? tool.breakerId ?? 'builtin';
    const policy = this.deps.policies.policyFor({
      tenantId: req.tenant.id,
      connectorId,
      idempotent: tool.definition.idempotent,
    });
    let outcome: ToolOutcome;
    await this.deps.onBoundary?.('tool.before_execute', { runId: req.runId, stepKey: req.step.key });
    // A worker that lost its lease (or its run's time) stops before the side effect.
    req.signal.throwIfAborted();
    await req.confirmLease?.();
    try {
      const output = await policy.execute(async ({ signal }) => {
        attempts += 1;
        const attemptSignal = AbortSignal.any([signal, req.signal]);
        return tool.definition.execute({ ...ctx, signal: attemptSignal }, checked.args);
      }, req.signal);
      const parsed = tool.definition.output.safeParse(output);
      if (!parsed.success) throw new ToolOutputError(tool.name, parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
      outcome = { status: 'succeeded', ...okResult(parsed.data) };
    } catch (error) {
      // Stopped from outside (lease lost, wall time): record nothing; the call stays `started`, so
      // whoever resumes the run reconciles it instead of trusting a guess made here.
      if (req.signal.aborted) throw req.signal.reason;
      const typed = this.translate(error);
      req.logger.info({ runId: req.runId, tool: tool.name, code: errorBody(typed).code }, 'tool call failed');
      outcome = tool.definition.risk !== 'read' && outcomeUnknown(typed) ? await this.settleUnknown(req, checked, ctx, typed) : { status: 'failed', result: errorResult(typed) };
    }
    await this.deps.onBoundary?.('tool.after_execute', { runId: req.runId, stepKey: req.step.key });
    const durationMs = Math.round(performance.now() - started);
    this.deps.metrics?.toolSeconds.observe({ tenant: req.tenant.id, connector: connectorId, tool: tool.name, outcome: outcome.status }, durationMs / 1000);
    await this.deps.calls.finish(req.tenant.id, record.id, {
      status: outcome.status,
      attempts,
      durationMs,
      ...(outcome.status === 'succeeded' ? { result: outcome.output } : { error: outcome.result.error }),
    });
    return outcome;
  }

  private translate(error: unknown): unknown {
    if (error instanceof TaskCancelledError) return new ToolTimeoutError('The action', this.deps.policies.settings.timeoutMs);
    if (error instanceof BrokenCircuitError) return new ToolUnavailableError('The action', 'circuit_open');
    if (error instanceof BulkheadRejectedError) return new ToolUnavailableError('The action', 'overloaded');
    return error;
  }

  private contextFor(req: ToolCallRequest, idempotencyKey: string): ToolContext {
    return {
      tenantId: req.tenant.id,
      runId: req.runId,
      stepId: req.step.id,
      user: req.user,
      ...(req.tool.connector ? { connector: req.tool.connector } : {}),
      credentials: req.credentials,
      idempotencyKey,
      signal: req.signal,
      logger: req.logger,
    };
  }
}

function settledOutcome(record: ToolCallRecord): ToolOutcome | null {
  if (record.status === 'succeeded') return { status: 'succeeded', result: { ok: true, data: record.result, untrusted: true }, output: record.result as JsonValue };
  if (record.status === 'failed' || record.status === 'unverified') {
    return { status: record.status, result: { ok: false, error: record.error ?? { code: 'tool_failed', message: 'The action failed.' }, untrusted: true } };
  }
  return null;
}
