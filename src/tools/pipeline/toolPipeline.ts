import { BrokenCircuitError, BulkheadRejectedError, TaskCancelledError } from 'cockatiel';
import type { JsonValue } from '../../core/json.js';
import type { EngineMetrics } from '../../observability/metrics.js';
import type { ToolContext } from '../tool.js';
import { approvalRequirement, type ApprovalRequirement } from './approvalGate.js';
import { authorize } from './authorize.js';
import { ToolOutputError, ToolTimeoutError, ToolUnavailableError, ToolUnverifiedError } from './errors.js';
import { idempotencyKeyFor } from './idempotencyKey.js';
import { errorBody, errorResult, okResult } from './normalize.js';
import type { ResiliencePolicies } from './resilience.js';
import type { BoundaryHook, ToolCallRecord, ToolCallRequest, ToolCallStore, ToolOutcome } from './types.js';
import { validateArgs } from './validateArgs.js';

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

  async execute(req: ToolCallRequest, checked: CheckedCall): Promise<ToolOutcome> {
    const { tool } = req;
    const idempotencyKey = idempotencyKeyFor(req.runId, req.step.key, tool.name, req.args);
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
    });
    const ctx = this.contextFor(req, idempotencyKey);
    if (!created) {
      const settled = settledOutcome(record);
      if (settled) return settled;
      // A call left `started` by a crashed worker: never repeat a non-idempotent one blindly.
      if (!tool.definition.idempotent) return this.reconcile(req, checked, ctx, record);
    }
    return this.run(req, checked, ctx, record);
  }

  private async reconcile(req: ToolCallRequest, checked: CheckedCall, ctx: ToolContext, record: ToolCallRecord): Promise<ToolOutcome> {
    const reconcile = req.tool.definition.reconcile;
    const started = Date.now();
    let verdict: Awaited<ReturnType<NonNullable<typeof reconcile>>> = { status: 'unknown' };
    if (reconcile) {
      try {
        verdict = await reconcile.call(req.tool.definition, ctx, checked.args);
      } catch (error) {
        req.logger.warn({ runId: req.runId, tool: req.tool.name, code: errorBody(error).code }, 'reconcile failed');
      }
    }
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
    const policy = this.deps.policies.policyFor({
      tenantId: req.tenant.id,
      connectorId: tool.connector?.id ?? 'builtin',
      idempotent: tool.definition.idempotent,
    });
    let outcome: ToolOutcome;
    await this.deps.onBoundary?.('tool.before_execute', { runId: req.runId, stepKey: req.step.key });
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
      const typed = this.translate(error);
      req.logger.info({ runId: req.runId, tool: tool.name, code: errorBody(typed).code }, 'tool call failed');
      outcome = { status: 'failed', result: errorResult(typed) };
    }
    await this.deps.onBoundary?.('tool.after_execute', { runId: req.runId, stepKey: req.step.key });
    const durationMs = Math.round(performance.now() - started);
    this.deps.metrics?.toolSeconds.observe({ tenant: req.tenant.id, tool: tool.name, outcome: outcome.status }, durationMs / 1000);
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
