import { createLogger, type Logger } from '../../src/core/logger.js';
import type { ModelTierConfig } from '../../src/config/tenantConfig.js';
import { ModelGateway } from '../../src/models/modelGateway.js';
import { BreakerRegistry, type ResilienceOptions, type RetryObserver } from '../../src/models/resilience.js';
import { createTierClients } from '../../src/models/tierClients.js';
import { createTokenCounter, type TokenCounter } from '../../src/models/tokenCounter.js';
import type { ModelTier } from '../../src/models/types.js';

export const silentLogger: Logger = createLogger({ level: 'silent' });

/** Small, fast resilience settings so failure paths run in milliseconds. */
export const TEST_RESILIENCE: ResilienceOptions = { maxRetries: 2, baseDelayMs: 5, maxRetryAfterMs: 2_000, breakerThreshold: 50, breakerHalfOpenAfterMs: 60_000 };

export function tierConfig(baseUrl: string, model: string, overrides: Partial<ModelTierConfig> = {}): ModelTierConfig {
  return { baseUrl, model, prices: { input: 2.5, cachedInput: 1.25, output: 10 }, timeoutMs: 5_000, maxOutputTokens: 512, ...overrides };
}

let shared: TokenCounter | undefined;
/** One encoder per test file: building it costs ~0.8 s. */
export function testTokenCounter(): TokenCounter {
  shared ??= createTokenCounter();
  return shared;
}

export function gatewayFor(
  models: Partial<Record<ModelTier, ModelTierConfig>>,
  options: { resilience?: ResilienceOptions; onRetry?: RetryObserver; breakers?: BreakerRegistry } = {},
): ModelGateway {
  const { clients } = createTierClients(models, { OPENAI_API_KEY: 'sk-test-not-a-real-key' });
  return new ModelGateway({
    tiers: clients,
    tokens: testTokenCounter(),
    breakers: options.breakers ?? new BreakerRegistry(options.resilience ?? TEST_RESILIENCE),
    resilience: options.resilience ?? TEST_RESILIENCE,
    ...(options.onRetry ? { onRetry: options.onRetry } : {}),
  });
}
