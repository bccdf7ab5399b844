import type { BudgetMeter, BudgetReservation, ModelUsage, PlannerTier } from '../planner/planner.js';
import type { EngineMetrics } from '../observability/metrics.js';
import type { Caps } from './caps.js';
import type { DailyCounters, DailyScope } from './dailyCounters.js';
import { budgetExceeded } from './messages.js';
import { utcDayStart } from './utcDay.js';

/** Where settled usage is made durable (runs counters + usage_ledger). */
export interface UsageSink {
  recordModelUsage(input: { tenantId: string; userId: string; runId: string; usage: ModelUsage; day: Date }): Promise<void>;
  recordStep(input: { tenantId: string; runId: string }): Promise<void>;
}

export interface RunUsage {
  steps: number;
  tokens: number;
  costMicros: number;
}

/**
 * The budget of one run while one worker drives it: per-request caps checked against the run's
 * counters (loaded from Postgres), daily caps reserved in the shared counters. Only one worker holds
 * a run at a time (the conversation lock), so the in-memory counters are never shared.
 */
export class RunBudget implements BudgetMeter {
  private reservedTokens = 0;
  private reservedMicros = 0;

  constructor(
    private readonly input: {
      readonly runId: string;
      readonly scope: DailyScope;
      readonly caps: Caps;
      readonly used: RunUsage;
      readonly deadline?: Date;
      readonly daily: DailyCounters;
      readonly sink: UsageSink;
      readonly metrics?: EngineMetrics;
      readonly now?: () => Date;
    },
  ) {}

  private now(): Date {
    return this.input.now?.() ?? new Date();
  }

  get used(): Readonly<RunUsage> {
    return this.input.used;
  }

  assertTime(): void {
    const { deadline, caps } = this.input;
    if (deadline && caps.wallTimeMs !== undefined && this.now().getTime() >= deadline.getTime()) {
      throw budgetExceeded('wall_time', 'request', caps.wallTimeMs);
    }
  }

  /** Before each step: wall time, the run's step cap, then the daily step caps. */
  /** `persistedByCaller`: the engine writes runs.steps_used together with the step's start. */
  async beforeStep(options: { persistedByCaller?: boolean } = {}): Promise<void> {
    this.assertTime();
    const { caps, used } = this.input;
    if (caps.steps !== undefined && used.steps + 1 > caps.steps) throw budgetExceeded('steps', 'request', caps.steps);
    used.steps += 1;
    try {
      await this.input.daily.reserve(this.input.scope, { steps: 1 });
    } catch (error) {
      used.steps -= 1;
      throw error;
    }
    if (!options.persistedByCaller) await this.input.sink.recordStep({ tenantId: this.input.scope.tenantId, runId: this.input.runId });
  }

  async reserve(estimate: { tier: PlannerTier; model: string; inputTokens: number; maxOutputTokens: number; costMicros: number }): Promise<BudgetReservation> {
    this.assertTime();
    const { caps, used } = this.input;
    const tokens = Math.max(0, Math.round(estimate.inputTokens + estimate.maxOutputTokens));
    const micros = Math.max(0, Math.round(estimate.costMicros));
    if (caps.tokens !== undefined && used.tokens + this.reservedTokens + tokens > caps.tokens) throw budgetExceeded('tokens', 'request', caps.tokens);
    if (caps.usdMicros !== undefined && used.costMicros + this.reservedMicros + micros > caps.usdMicros) throw budgetExceeded('usd', 'request', caps.usdMicros);
    await this.input.daily.reserve(this.input.scope, { tokens, usd: micros });
    this.reservedTokens += tokens;
    this.reservedMicros += micros;
    let open = true;
    const close = (): boolean => {
      if (!open) return false;
      open = false;
      this.reservedTokens -= tokens;
      this.reservedMicros -= micros;
      return true;
    };
    return {
      settle: async (actual: ModelUsage) => {
        if (!close()) return;
        const actualTokens = actual.inputTokens + actual.outputTokens;
        used.tokens += actualTokens;
        used.costMicros += actual.costMicros;
        await this.input.daily.adjust(this.input.scope, { tokens: actualTokens - tokens, usd: actual.costMicros - micros });
        const { tenantId, userId } = this.input.scope;
        await this.input.sink.recordModelUsage({ tenantId, userId, runId: this.input.runId, usage: actual, day: utcDayStart(this.now()) });
        this.input.metrics?.tokens.inc({ tenant: tenantId, tier: actual.tier, kind: 'input' }, actual.inputTokens);
        this.input.metrics?.tokens.inc({ tenant: tenantId, tier: actual.tier, kind: 'output' }, actual.outputTokens);
        this.input.metrics?.costMicros.inc({ tenant: tenantId, tier: actual.tier }, actual.costMicros);
      },
      release: async () => {
        if (!close()) return;
        await this.input.daily.adjust(this.input.scope, { tokens: -tokens, usd: -micros });
      },
    };
  }
}
