import type { TenantConfig } from '../../src/config/tenantConfig.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { startEffectsServer, type EffectsServer } from './effectsServer.js';
import { createHarness, seedTenant, type Harness } from './engineHarness.js';

/** One seeded tenant on a fresh database, the effects server as its only connector, and one engine worker. */
export interface EngineWithEffects {
  readonly database: TestDatabase;
  readonly effects: EffectsServer;
  readonly harness: Harness;
}

/**
 * Starts an EngineWithEffects before the file's tests and tears it down after them. The returned
 * object is filled in by beforeAll, so read its fields inside tests and hooks, not at load time.
 */
export function useEngineWithEffects(tenant: TenantConfig): EngineWithEffects {
  const engine = {} as { database: TestDatabase; effects: EffectsServer; harness: Harness };
  beforeAll(async () => {
    engine.database = await createTestDatabase();
    engine.effects = await startEffectsServer();
    await seedTenant(engine.database.db.prisma, tenant);
    engine.harness = await createHarness({ prisma: engine.database.db.prisma, tenants: [tenant], effectsUrl: engine.effects.url, workers: 1 });
  });
  afterAll(async () => {
    await engine.harness?.close();
    await engine.effects?.stop();
    await engine.database?.drop();
  });
  return engine;
}
