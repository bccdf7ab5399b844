import { BudgetExceededError } from '../../src/core/errors.js';
import type { BudgetMeter, BudgetReservation, ModelUsage, PlannerTier } from '../../src/planner/planner.js';

export interface BudgetCapsForTest {
  readonly tokens?: number;
  readonly usdMicros?: number;
  /** Model calls allowed (stands in for the engine's step cap in planner-only tests). */
  readonly calls?: number;
}

/**
 * An honest per-request meter for planner tests: reservations count against the caps until they
 * are settled (replaced by actual usage) or released, exactly as the engine's meter must behave.
 */
export class InMemoryBudgetMeter implements BudgetMeter {
  readonly settled: ModelUsage[] = [];
  readonly reservations: { tier: PlannerTier; model: string; inputTokens: number; maxOutputTokens: number; costMicros: number }[] = [];
  private reservedTokens = 0;
  private reservedMicros = 0;
  private usedTokens = 0;
  private usedMicros = 0;
  private calls = 0;
  released = 0;

  constructor(private readonly caps: BudgetCapsForTest = {}) {}

  get tokensUsed(): number {
    return this.usedTokens;
  }
  get microsUsed(): number {
    return this.usedMicros;
  }

  async reserve(estimate: { tier: PlannerTier; model: string; inputTokens: number; maxOutputTokens: number; costMicros: number }): Promise<BudgetReservation> {
    const tokens = estimate.inputTokens + estimate.maxOutputTokens;
    if (this.caps.calls !== undefined && this.calls + 1 > this.caps.calls) {
      throw new BudgetExceededError('steps', 'request', 'This request needed more steps than it is allowed.');
    }
    if (this.caps.tokens !== undefined && this.usedTokens + this.reservedTokens + tokens > this.caps.tokens) {
      throw new BudgetExceededError('tokens', 'request', 'This request would use more AI tokens than it is allowed.');
    }
    if (this.caps.usdMicros !== undefined && this.usedMicros + this.reservedMicros + estimate.costMicros > this.caps.usdMicros) {
      throw new BudgetExceededError('usd', 'request', 'This request would cost more than it is allowed.');
    }
    this.calls += 1;
    this.reservations.push(estimate);
    this.reservedTokens += tokens;
    this.reservedMicros += estimate.costMicros;
    let open = true;
    const close = (): void => {
      if (!open) throw new Error('reservation settled or released twice');
      open = false;
      this.reservedTokens -= tokens;
      this.reservedMicros -= estimate.costMicros;
    };
    return {
      settle: async (actual) => {
        close();
        this.settled.push(actual);
        this.usedTokens += actual.inputTokens + actual.outputTokens;
        this.usedMicros += actual.costMicros;
      },
      release: async () => {
        close();
        this.calls -= 1;
        this.released += 1;
      },
    };
  }
}
