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
import { TERMINAL_STATUSES, type RunCaps } from './persistence/runsTable.js';
import { runRefOf } from './runRef.js';
import type { RunSession, StoredPlan } from './session.js';
import { UsageRecorder } from './usageRecorder.js';

class LeaseLostError extends Error {
  constructor() {
    super('the conversation lease was lost to another worker');
  }
}

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
    const lease = new AbortController();
    const heartbeat = setInterval(() => {
      lock.extend(deps.settings.leaseMs).then((held) => held || lease.abort(new LeaseLostError()), () => undefined);
    }, Math.max(50, Math.floor(deps.settings.leaseMs / 3)));
    heartbeat.unref();
    try {
      const run = await deps.tables.runs.get(job.tenantId, job.runId);
      if (!run || !['queued', 'planning', 'executing', 'responding'].includes(run.status)) return { kind: 'done' };
      if (await deps.tables.runs.hasEarlierActive(run.tenantId, run.conversationId, run)) return { kind: 'retry_later', delayMs: deps.settings.busyRetryMs };
      await this.drive(run, lease.signal);
      return { kind: 'done' };
    } catch (error) {
      if (error instanceof LeaseLostError || lease.signal.aborted) return { kind: 'done' };
      throw error;
    } finally {
      clearInterval(heartbeat);
      await lock.release().catch(() => undefined);
    }
  }

  private async drive(initial: Run, leaseSignal: AbortSignal): Promise<void> {
    const { deps } = this;
    const tenant = deps.tenants(initial.tenantId);
    const registry = deps.registryFor(initial.tenantId);
    const user = await deps.tables.directory.userById(initial.tenantId, initial.userId);
    const ref = runRefOf(initial);
    if (!tenant || !registry || !user) {
      await this.finishFailed(initial, new SwitchboardError('config_invalid', 'tenant or user missing for run', { userMessage: 'Switchboard is not set up for your account.' }));
      return;
    }
    if (initial.attempts >= deps.settings.maxRunAttempts) {
      await deps.tables.deadLetters.record({ tenantId: tenant.id, runId: initial.id, reason: 'crash_loop', error: { code: 'crash_loop', message: `run picked up ${initial.attempts} times without settling` }, attempts: initial.attempts });
      await this.finishFailed(initial, new SwitchboardError('crash_loop', 'run crash loop', { userMessage: 'Something kept going wrong while handling your request, so I stopped. The team has been notified.' }));
      return;
    }
    const caps = initial.caps as RunCaps;
    const now = new Date();
    const deadlineAt = initial.deadlineAt ?? (caps.wallTimeMs ? new Date(now.getTime() + caps.wallTimeMs) : null);
    const firstStart = initial.startedAt === null;
    const started = await deps.prisma.run.update({
      where: { id: initial.id, tenantId: tenant.id },
      data: {
        attempts: { increment: 1 },
        version: { increment: 1 },
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
      logger: deps.logger.child({ tenantId: tenant.id, runId: started.id }),
    };
    try {
      await this.loop(session);
    } catch (error) {
      if (leaseSignal.aborted) throw new LeaseLostError();
      if (error instanceof BudgetExceededError) return this.finishBudget(session.run, error);
      if (signal.aborted && caps.wallTimeMs) return this.finishBudget(session.run, budgetTimeError(caps.wallTimeMs));
      if (isSwitchboardError(error) && !error.retryable) return this.finishFailed(session.run, error);
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
      await this.setStatus(session, 'planning');
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
    await this.setStatus(session, status, { attempts: 0 });
    await this.deps.events.emit(session.ref, { type: 'run.status', status });
    if (status === 'awaiting_approval') {
      const steps = await this.deps.tables.steps.listForRun(session.tenant.id, session.run.id);
      for (const step of steps.filter((s) => s.status === 'awaiting_approval')) {
        const approval = await this.deps.tables.approvals.forStep(session.tenant.id, step.id);
        if (approval && approval.status !== 'pending') {
          await this.setStatus(session, 'executing');
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
    await deps.events.emit(session.ref, { type: 'run.completed', text, ...(reducedMode ? { reducedMode } : {}) });
    await deps.tables.runs.update(run.tenantId, run.id, { status: 'completed', finishedAt: new Date() });
    deps.metrics?.runsByStatus.inc({ tenant: run.tenantId, status: 'completed' });
  }

  private async setStatus(session: RunSession, status: RunStatus, extra: Prisma.RunUpdateInput = {}): Promise<void> {
    session.run = await this.deps.prisma.run.update({
      where: { id: session.run.id, tenantId: session.tenant.id },
      data: { ...extra, status, version: { increment: 1 } },
    });
  }

  private async finishBudget(run: Run, error: BudgetExceededError): Promise<void> {
    await this.finish(run, 'budget_exceeded', error);
  }

  async finishFailed(run: Pick<Run, 'id' | 'tenantId' | 'conversationId' | 'userId' | 'channel' | 'reply'>, error: unknown): Promise<void> {
    await this.finish(run, 'failed', error);
  }

  private async finish(run: Pick<Run, 'id' | 'tenantId' | 'conversationId' | 'userId' | 'channel' | 'reply'>, status: 'failed' | 'budget_exceeded', error: unknown): Promise<void> {
    const code = isSwitchboardError(error) ? error.code : 'internal';
    const message = isSwitchboardError(error) ? error.userMessage : 'Something went wrong while handling your request.';
    const open = ['queued', 'planning', 'executing', 'responding', 'awaiting_approval', 'awaiting_link'];
    const current = await this.deps.prisma.run.findFirst({ where: { id: run.id, tenantId: run.tenantId }, select: { status: true } });
    if (!current || !open.includes(current.status)) return;
    // The event is written before the terminal status, as in complete(): a crash in between leaves
    // the run open, so recovery finishes it again (the employee may hear twice, never not at all).
    await this.deps.events.emit(runRefOf(run), { type: 'run.failed', code, message });
    const changed = await this.deps.tables.runs.update(run.tenantId, run.id, { status, error: { code, message }, finishedAt: new Date() }, open);
    if (changed) this.deps.metrics?.runsByStatus.inc({ tenant: run.tenantId, status });
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
