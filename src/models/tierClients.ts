import { OpenAI } from 'openai';
import { z } from 'zod';
import type { ModelTierConfig, TenantConfig } from '../config/tenantConfig.js';
import { MODEL_TIERS, type ModelTier } from './types.js';

/** One usable model tier: its config, an SDK client, and the provider key its breaker is shared under. */
export interface TierClient {
  readonly tier: ModelTier;
  readonly config: ModelTierConfig;
  readonly client: OpenAI;
  readonly providerKey: string;
}

const envSchema = z.object({
  OPENAI_API_KEY: z.string().min(1).optional(),
  OPENAI_BASE_URL: z.string().url().optional(),
  OPENAI_MODEL: z.string().min(1).optional(),
  OPENAI_POWER_MODEL: z.string().min(1).optional(),
});

export type ModelEnv = Readonly<Record<string, string | undefined>>;

/**
 * Without a tenant `models` block, OPENAI_API_KEY / OPENAI_BASE_URL enable one endpoint used as the
 * fast and power tiers. Prices are unknown for an arbitrary model, so they count as zero and only
 * the token caps apply; tenants that need USD caps configure `models` explicitly.
 */
function defaultTiers(env: ModelEnv): TenantConfig['models'] {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success || (!parsed.data.OPENAI_API_KEY && !parsed.data.OPENAI_BASE_URL)) return {};
  const base = { prices: { input: 0, output: 0 }, timeoutMs: 30_000, maxOutputTokens: 1024 };
  const fastModel = parsed.data.OPENAI_MODEL ?? 'gpt-4o-mini';
  return { fast: { ...base, model: fastModel }, power: { ...base, model: parsed.data.OPENAI_POWER_MODEL ?? fastModel } };
}

/**
 * Builds the SDK clients for the tiers a tenant configured. The SDK's own retries are off
 * (maxRetries: 0) because the gateway's cockatiel policy owns retries, breaking and timeouts.
 * A tier whose key is missing is skipped unless it points at a keyless local server (vLLM, Ollama).
 */
export function createTierClients(models: TenantConfig['models'], env: ModelEnv): { clients: Map<ModelTier, TierClient>; skipped: string[] } {
  const configured = Object.keys(models).length > 0 ? models : defaultTiers(env);
  const clients = new Map<ModelTier, TierClient>();
  const skipped: string[] = [];
  for (const tier of MODEL_TIERS) {
    const config = configured[tier];
    if (!config) continue;
    const baseURL = config.baseUrl ?? env.OPENAI_BASE_URL;
    const keyName = config.apiKeyEnv ?? 'OPENAI_API_KEY';
    const apiKey = env[keyName] ?? (baseURL ? 'not-needed' : undefined);
    if (!apiKey) {
      skipped.push(`${tier}: ${keyName} is not set`);
      continue;
    }
    const client = new OpenAI({ apiKey, ...(baseURL ? { baseURL } : {}), maxRetries: 0, timeout: config.timeoutMs });
    clients.set(tier, { tier, config, client, providerKey: baseURL ?? 'https://api.openai.com/v1' });
  }
  return { clients, skipped };
}
