import type { BudgetScope } from '../core/errors.js';
import type { KeyValueStore } from '../infra/keyValue.js';
import { tenantKey } from '../infra/keys.js';
import type { Caps } from './caps.js';
import { budgetExceeded } from './messages.js';
import { ttlToMidnightMs, utcDayKey } from './utcDay.js';

export type DailyMetric = 'steps' | 'tokens' | 'usd';
const CAP_OF: Record<DailyMetric, 'steps' | 'tokens' | 'usdMicros'> = { steps: 'steps', tokens: 'tokens', usd: 'usdMicros' };

export interface DailyScope {
  readonly tenantId: string;
  readonly userId: string;
  readonly userCaps: Caps;
  readonly tenantCaps: Caps;
}

/**
 * Per user and per tenant counters keyed by UTC day (TTL to midnight). Reserving increments first
 * and rolls back when the cap would be crossed, so concurrent runs cannot overshoot together.
 */
export class DailyCounters {
  constructor(
    private readonly kv: KeyValueStore,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private key(scope: DailyScope, level: 'user' | 'tenant', metric: DailyMetric, day: string): string {
    return level === 'user' ? tenantKey(scope.tenantId, 'budget', day, 'user', scope.userId, metric) : tenantKey(scope.tenantId, 'budget', day, 'tenant', metric);
  }

  private levels(scope: DailyScope): { level: 'user' | 'tenant'; caps: Caps; name: BudgetScope }[] {
    return [
      { level: 'user', caps: scope.userCaps, name: 'user_day' },
      { level: 'tenant', caps: scope.tenantCaps, name: 'tenant_day' },
    ];
  }

  /** Adds the amounts to both levels; throws BudgetExceededError (after undoing) when a cap is crossed. */
  async reserve(scope: DailyScope, amounts: Partial<Record<DailyMetric, number>>): Promise<void> {
    const now = this.now();
    const day = utcDayKey(now);
    const ttl = ttlToMidnightMs(now);
    const applied: { key: string; amount: number }[] = [];
    try {
      for (const { level, caps, name } of this.levels(scope)) {
        for (const [metric, amount] of Object.entries(amounts) as [DailyMetric, number][]) {
          if (!amount) continue;
          const key = this.key(scope, level, metric, day);
          const total = await this.kv.incrementBy(key, amount, ttl);
          applied.push({ key, amount });
          const cap = caps[CAP_OF[metric]];
          if (cap !== undefined && total > cap) throw budgetExceeded(metric === 'usd' ? 'usd' : metric, name, cap, now);
        }
      }
    } catch (error) {
      await Promise.all(applied.map(({ key, amount }) => this.kv.incrementBy(key, -amount, ttl)));
      throw error;
    }
  }

  /** Corrects both levels after the real amount is known (may be negative); never refuses. */
  async adjust(scope: DailyScope, amounts: Partial<Record<DailyMetric, number>>): Promise<void> {
    const now = this.now();
    const day = utcDayKey(now);
    const ttl = ttlToMidnightMs(now);
    const writes: Promise<number>[] = [];
    for (const { level } of this.levels(scope)) {
      for (const [metric, amount] of Object.entries(amounts) as [DailyMetric, number][]) {
        if (amount) writes.push(this.kv.incrementBy(this.key(scope, level, metric, day), amount, ttl));
      }
    }
    await Promise.all(writes);
  }

  /** Throws when either level has already spent a daily cap (the gateway's check before a new request). */
  async assertAvailable(scope: DailyScope): Promise<void> {
    const now = this.now();
    const day = utcDayKey(now);
    for (const { level, caps, name } of this.levels(scope)) {
      for (const metric of ['steps', 'tokens', 'usd'] as const) {
        const cap = caps[CAP_OF[metric]];
        if (cap === undefined) continue;
        const used = Number((await this.kv.get(this.key(scope, level, metric, day))) ?? 0);
        if (used >= cap) throw budgetExceeded(metric, name, cap, now);
      }
    }
  }
}
