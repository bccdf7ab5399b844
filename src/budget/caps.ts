import type { BudgetCaps, TenantConfig } from '../config/tenantConfig.js';

/** Caps for one scope, with money in integer micro-dollars. */
export interface Caps {
  readonly steps?: number;
  readonly tokens?: number;
  readonly usdMicros?: number;
  readonly wallTimeMs?: number;
}

/** tenantConfig's schema already converts dollars to micro-dollars when it parses `usd`. */
export function capsOf(config: BudgetCaps): Caps {
  return {
    ...(config.steps !== undefined ? { steps: config.steps } : {}),
    ...(config.tokens !== undefined ? { tokens: config.tokens } : {}),
    ...(config.usd !== undefined ? { usdMicros: config.usd } : {}),
    ...(config.wallTimeMs !== undefined ? { wallTimeMs: config.wallTimeMs } : {}),
  };
}

export function requestCaps(tenant: TenantConfig): Caps {
  return capsOf(tenant.budgets.perRequest);
}
