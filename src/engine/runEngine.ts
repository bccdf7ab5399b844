import { BudgetExceededError, SwitchboardError, isSwitchboardError } from '../core/errors.js';
import type { Prisma, Run } from '../generated/prisma/client.js';
import { capsOf } from '../budget/caps.js';
import { RunBudget } from '../budget/runBudget.js';
import { budgetExceeded } from '../budget/messages.js';
import type { RunStatus } from '../events/runEvent.js';
import { tenantKey } from '../infra/keys.js';
import type { JobOutcome, RunJob } from '../queue/runQueue.js';
import type { EngineDeps } from './engineDeps.js';
import { PlanExecutor } from './planExecutor.js';
import { PlanningPhase } from './planningPhase.js';
import { ACTIVE_STATUSES, TERMINAL_STATUSES, type RunCaps } from './persistence/runsTable.js';
import { FencedOutError } from './persistence/toolCallsTable.js';
import { LeaseLostError, RunLease } from './runLease.js';

const OPEN_STATUSES: readonly RunStatus[] = [...ACTIVE_STATUSES, 'awaiting_approval', 'awaiting_link'];
import { runRefOf } from './runRef.js';
import { stepsOf } from './runState.js';
import type { RunSession, StoredPlan } from './session.js';
import { UsageRecorder } from './usageRecorder.js';

class IterationLimitError extends SwitchboardError {
  constructor() {
    super('iteration_limit', 'planner iteration cap reached', { userMessage: 'I could not finish this request within the allowed number of planning rounds. Please try a simpler request.' });
  }
}

/** The durable run state machine. Any worker can pick up any run: all state is in Postgres. */
export class RunEngine {
  private readonly planning: PlanningPhase;
  private readonly executor: PlanExecutor;
  private readonly usage: UsageRecorder;

  constructor(
    private readonly deps: EngineDeps,
    /** Wakes a run (status queued + enqueue); provided by the runtime that owns the queue. */
    private readonly enqueue: (tenantId: string, runId: string, delayMs?: number) => Promise<void>,
  ) {
    this.planning = new PlanningPhase(deps);
    this.executor = new PlanExecutor(deps);
    this.usage = new UsageRecorder(deps.tables.runs, deps.tables.usage);
  }

  conversationLockKey(tenantId: string, conversationId: string): string {
    return tenantKey(tenantId, 'conv', conversationId, 'lock');
  }

  /** The queue handler: drives the run until it finishes or waits for a person. */
  async process(job: RunJob): Promise<JobOutcome> {
    const { deps } = this;
    const first = await deps.tables.runs.get(job.tenantId, job.runId);
    if (!first || first.status === 'awaiting_approval' || first.status === 'awaiting_link' || TERMINAL_STATUSES.includes(first.status as RunStatus)) return { kind: 'done' };
    const lock = await deps.locks.acquire(this.conversationLockKey(first.tenantId, first.conversationId), { ttlMs: deps.settings.leaseMs });
    if (!lock) return { kind: 'retry_later', delayMs: deps.settings.busyRetryMs };
    const lease = new RunLease(lock, deps.settings.leaseMs, (error) => deps.logger.warn({ err: error, runId: job.runId }, 'renewing the run lease failed'));
    try {
      const run = await deps.tables.runs.get(job.tenantId, job.runId);
      if (!run || !['queued', 'planning', 'executing', 'responding'].includes(run.status)) return { kind: 'done' };
      if (await deps.tables.runs.hasEarlierActive(run.tenantId, run.conversationId, run)) return { kind: 'retry_later', delayMs: deps.settings.busyRetryMs };
      await this.drive(run, lease);
      // A wake-up that raced this pass (a decision stored while the run was being parked) is not
      // lost: the run is open again, so it runs once more.
      const after = await deps.tables.runs.get(job.tenantId, job.runId);
      if (after && ACTIVE_STATUSES.includes(after.status as RunStatus)) return { kind: 'retry_later', delayMs: 0 };
      return { kind: 'done' };
    } catch (error) {
      if (error instanceof LeaseLostError || error instanceof FencedOutError || lease.signal.aborted) return { kind: 'done' };
      throw error;
    } finally {
      await lease.release();
    }
  }

  private async drive(initial: Run, lease: RunLease): Promise<void> {
    const leaseSignal = lease.signal;
    const { deps } = this;
    const tenant = deps.tenants(initial.tenantId);
    const registry = deps.registryFor(initial.tenantId);
    const user = await deps.tables.directory.userById(initial.tenantId, initial.userId);
    const ref = runRefOf(initial);
    if (!tenant || !registry || !user) {
      await this.finishFailed(initial, new SwitchboardError('config_invalid', 'tenant or user missing for run', { userMessage: 'Switchboard is not set up for your account.' }));
      return;
    }
    // Someone removed from the tenants file since this run was queued: it must not act for them.
    if (user.deactivatedAt) {
      await this.finishFailed(initial, new SwitchboardError('user_deactivated', 'run of a deactivated user', { userMessage: 'Your access to Switchboard was removed, so I stopped this request.' }));
      return;
    }
    if (initial.attempts >= deps.settings.maxRunAttempts) {
      await deps.tables.deadLetters.record({ tenantId: tenant.id, runId: initial.id, reason: 'crash_loop', error: { code: 'crash_loop', message: `run picked up ${initial.attempts} times without settling` }, attempts: initial.attempts });
      await this.finishFailed(initial, new SwitchboardError('crash_loop', 'run crash loop', { userMessage: 'Something kept going wrong while handling your request, so I stopped. The team has been notified.' }));
      return;
    }
    const caps = initial.caps as RunCaps;
    const now = new Date();
    // The wall-time cap counts active time only: a run resuming after a wait gets what it had left.
    const deadlineAt = initial.deadlineAt ?? (caps.wallTimeMs ? new Date(now.getTime() + Math.max(0, caps.wallTimeMs - initial.activeMs)) : null);
    const firstStart = initial.startedAt === null;
    const started = await deps.prisma.run.update({
      where: { id: initial.id, tenantId: tenant.id },
      data: {
        attempts: { increment: 1 },
        version: { increment: 1 },
        // Taking the run supersedes any earlier worker: its tool-call starts are refused from now on.
        fence: { increment: 1 },
        ...(firstStart ? { startedAt: now } : {}),
        ...(deadlineAt && !initial.deadlineAt ? { deadlineAt } : {}),
        ...(initial.status === 'queued' ? { status: initial.planVersion > 0 ? 'executing' : 'planning' } : {}),
      },
    });
    if (firstStart) await deps.events.emit(ref, { type: 'run.started', text: initial.input });
    const timeLeft = deadlineAt ? Math.max(1, deadlineAt.getTime() - Date.now()) : undefined;
    // The wall-time clock is cleared when this attempt ends (AbortSignal.timeout would stay pending for
    // the rest of the run's wall time, past completion and past a stopped runtime).
    const wallClock = timeLeft ? new AbortController() : undefined;
    const wallTimer = wallClock ? setTimeout(() => wallClock.abort(new DOMException('The run reached its wall-time limit.', 'TimeoutError')), timeLeft) : undefined;
    wallTimer?.unref();
    const signal = wallClock ? AbortSignal.any([leaseSignal, wallClock.signal]) : leaseSignal;
    const session: RunSession = {
      run: started,
      ref,
      tenant,
      registry,
      user: { id: user.id, tenantId: tenant.id, email: user.email, displayName: user.displayName },
      budget: new RunBudget({
        runId: started.id,
        scope: { tenantId: tenant.id, userId: user.id, userCaps: capsOf(tenant.budgets.perUserDay), tenantCaps: capsOf(tenant.budgets.perTenantDay) },
        caps: { ...(caps.steps ? { steps: caps.steps } : {}), ...(caps.tokens ? { tokens: caps.tokens } : {}), ...(caps.usdMicros ? { usdMicros: caps.usdMicros } : {}), ...(caps.wallTimeMs ? { wallTimeMs: caps.wallTimeMs } : {}) },
        used: { steps: started.stepsUsed, tokens: started.tokensUsed, costMicros: Number(started.costMicros) },
        ...(deadlineAt ? { deadline: deadlineAt } : {}),
        daily: deps.daily,
        sink: this.usage,
        ...(deps.metrics ? { metrics: deps.metrics } : {}),
      }),
      signal,
      confirmLease: () => lease.confirm(),
      logger: deps.logger.child({ tenantId: tenant.id, runId: started.id }),
    };
    try {
      await this.loop(session);
    } catch (error) {
      if (leaseSignal.aborted || error instanceof FencedOutError) throw new LeaseLostError();
      if (error instanceof BudgetExceededError) return this.finish(session.run, 'budget_exceeded', error, session.run.fence);
      if (signal.aborted && caps.wallTimeMs) return this.finish(session.run, 'budget_exceeded', budgetTimeError(caps.wallTimeMs), session.run.fence);
      if (isSwitchboardError(error) && !error.retryable) return this.finish(session.run, 'failed', error, session.run.fence);
      throw error;
    } finally {
      clearTimeout(wallTimer);
    }
  }

  private async loop(session: RunSession): Promise<void> {
    const { deps } = this;
    for (;;) {
      session.signal.throwIfAborted();
      const run = session.run;
      if (run.status === 'responding' && run.answer !== null) return this.complete(session, run.answer);
      if (run.planVersion > 0) {
        const progress = await this.executor.execute(session, run.plan as unknown as StoredPlan);
        if (progress !== 'done') {
          if (await this.suspend(session, progress)) return;
          continue;
        }
      }
      if (run.iteration >= deps.settings.maxIterations) throw new IterationLimitError();
      // No status write before each planner call: 'planning' and 'executing' are both active and
      // resume the same way (the executor finds nothing left to run, then the planner is asked).
      let deltas = Promise.resolve();
      const decision = await this.planning.next(session, (text) => {
        deltas = deltas.then(() => deps.events.emit(session.ref, { type: 'message.delta', text }).then(() => undefined));
      });
      await deltas;
      if (decision.kind === 'plan') {
        if (decision.plan.steps.length === 0) await this.setStatus(session, 'planning', { iteration: { increment: 1 } });
        continue;
      }
      const text = decision.kind === 'answer' ? decision.text : decision.question;
      // Keep the plan's routing decision and reason; add who wrote the reply.
      const planned = session.run.routing && typeof session.run.routing === 'object' && !Array.isArray(session.run.routing) ? session.run.routing : { tier: decision.tier, reason: 'answered without a plan' };
      await this.setStatus(session, 'responding', { answer: text, routing: { ...planned, answeredBy: decision.tier, kind: decision.kind } });
      await deps.onBoundary?.('run.before_answer', { runId: run.id });
      return this.complete(session, text, decision.kind === 'answer' ? decision.reducedMode : undefined);
    }
  }

  /** Writes the waiting status, then re-checks: a decision or link that raced the write must not be lost. */
  private async suspend(session: RunSession, status: 'awaiting_approval' | 'awaiting_link'): Promise<boolean> {
    // The wait is not active time: bank what was used and stop the clock (the approval's or link's
    // own expiry governs the wait).
    const { deadlineAt, activeMs } = session.run;
    const wallTimeMs = (session.run.caps as RunCaps).wallTimeMs;
    const used = deadlineAt && wallTimeMs ? Math.min(wallTimeMs, Math.max(0, wallTimeMs - (deadlineAt.getTime() - Date.now()))) : activeMs;
    await this.setStatus(session, status, { attempts: 0, activeMs: used, deadlineAt: null });
    await this.deps.events.emit(session.ref, { type: 'run.status', status });
    if (status === 'awaiting_approval') {
      const steps = await this.deps.tables.steps.listForRun(session.tenant.id, session.run.id);
      for (const step of steps.filter((s) => s.status === 'awaiting_approval')) {
        const approval = await this.deps.tables.approvals.forStep(session.tenant.id, step.id);
        if (approval && approval.status !== 'pending') {
          await this.setStatus(session, 'executing', { activeMs, deadlineAt });
          return false;
        }
      }
    }
    return true;
  }

  private async complete(session: RunSession, text: string, reducedMode?: boolean): Promise<void> {
    const { deps } = this;
    const run = session.run;
    if (!(await deps.tables.directory.hasMessage(run.tenantId, run.id, 'assistant'))) {
      await deps.tables.directory.appendMessage(run.tenantId, run.conversationId, run.id, 'assistant', text);
    }
    // Honest outcome: when every step that ran failed (the rest skipped), nothing asked for was
    // done, so the run ends `failed` with the answer as its message; any success keeps it completed.
    const steps = await stepsOf(session, deps.tables.steps);
    const allFailed = steps.some((s) => s.status === 'failed') && steps.every((s) => s.status === 'failed' || s.status === 'skipped');
    // The answer and the terminal status in one statement, once: a crash cannot separate them, and
    // a second completion (recovery, a superseded worker) writes nothing.
    const event = allFailed
      ? await deps.events.emitWithRunStatus(
        session.ref,
        { status: 'failed', fromStatuses: OPEN_STATUSES, error: { code: 'all_steps_failed', message: text }, finishedAt: new Date(), fence: run.fence },
        { type: 'run.failed', code: 'all_steps_failed', message: text },
      )
      : await deps.events.emitWithRunStatus(
        session.ref,
        { status: 'completed', fromStatuses: OPEN_STATUSES, finishedAt: new Date(), fence: run.fence },
        { type: 'run.completed', text, ...(reducedMode ? { reducedMode } : {}) },
      );
    if (event) deps.metrics?.runsByStatus.inc({ tenant: run.tenantId, status: allFailed ? 'failed' : 'completed' });
  }

  private async setStatus(session: RunSession, status: RunStatus, extra: Prisma.RunUpdateInput = {}): Promise<void> {
    session.run = await this.deps.prisma.run.update({
      where: { id: session.run.id, tenantId: session.tenant.id },
      data: { ...extra, status, version: { increment: 1 } },
    });
  }

  async finishFailed(run: Pick<Run, 'id' | 'tenantId' | 'conversationId' | 'userId' | 'channel' | 'reply'>, error: unknown): Promise<void> {
    await this.finish(run, 'failed', error);
  }

  /** The failure event and the terminal status in one statement (see complete()); `fence` when a worker holds the run. */
  private async finish(run: Pick<Run, 'id' | 'tenantId' | 'conversationId' | 'userId' | 'channel' | 'reply'>, status: 'failed' | 'budget_exceeded', error: unknown, fence?: number): Promise<void> {
    const code = isSwitchboardError(error) ? error.code : 'internal';
    const message = isSwitchboardError(error) ? error.userMessage : 'Something went wrong while handling your request.';
    const event = await this.deps.events.emitWithRunStatus(
      runRefOf(run),
      { status, fromStatuses: OPEN_STATUSES, error: { code, message }, finishedAt: new Date(), ...(fence !== undefined ? { fence } : {}) },
      { type: 'run.failed', code, message },
    );
    if (event) this.deps.metrics?.runsByStatus.inc({ tenant: run.tenantId, status });
  }

  /** A person linked their account: every run of theirs waiting on that connector continues. */
  async onAccountLinked(input: { tenantId: string; userId: string; connectorId: string }): Promise<number> {
    const waiting = await this.deps.tables.runs.listAwaitingLink(input.tenantId, input.userId);
    let resumed = 0;
    for (const { id } of waiting) {
      if (!(await this.deps.tables.runs.update(input.tenantId, id, { status: 'queued' }, ['awaiting_link']))) continue;
      const run = await this.deps.tables.runs.get(input.tenantId, id);
      if (run) await this.deps.events.emit(runRefOf(run), { type: 'account.linked', connectorId: input.connectorId });
      await this.enqueue(input.tenantId, id);
      resumed += 1;
    }
    return resumed;
  }

  /** Moves a waiting run back to the queue (after an approval decision or expiry). */
  async wake(tenantId: string, runId: string): Promise<void> {
    await this.deps.tables.runs.update(tenantId, runId, { status: 'queued' }, ['awaiting_approval']);
    await this.enqueue(tenantId, runId);
  }
}

function budgetTimeError(wallTimeMs: number): BudgetExceededError {
  return budgetExceeded('wall_time', 'request', wallTimeMs);
}
