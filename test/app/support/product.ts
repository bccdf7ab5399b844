import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { loadEnv } from '../../../src/config/env.js';
import { createLogger, type Logger } from '../../../src/core/logger.js';
import { startSwitchboard, type Switchboard } from '../../../src/app/startSwitchboard.js';
import type { Tracing } from '../../../src/observability/tracing.js';
import { createEmptyTestDatabase } from '../../support/database.js';
import { BREAK_GLASS } from './signIn.js';

export interface RunningProduct {
  readonly app: Switchboard;
  readonly url: string;
  readonly databaseUrl: string;
  close(): Promise<void>;
}

/**
 * The whole product in-process on port 0: its own Postgres database, free sandbox ports, a private
 * data directory, and Redis only when asked (with a unique key prefix).
 */
export async function startProduct(options: { redisUrl?: string; databaseUrl?: string; env?: Record<string, string>; logger?: Logger; tracing?: Tracing } = {}): Promise<RunningProduct> {
  const database = options.databaseUrl ? undefined : await createEmptyTestDatabase();
  const databaseUrl = options.databaseUrl ?? database!.url;
  const dataDir = await mkdtemp(join(tmpdir(), 'sb-app-'));
  const source: Record<string, string> = {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    DATABASE_URL: databaseUrl,
    DATA_DIR: dataDir,
    // The demo tenant's break-glass sign-in (tenants.example.yaml names this variable).
    ACME_BREAK_GLASS_HASH: BREAK_GLASS.hash,
    WORKERS_PER_PROCESS: '2',
    // The demo product on real PostgreSQL: a database alone would make the posture "deployed"
    // (test/app/posture.test.ts covers that by setting SWITCHBOARD_POSTURE to '').
    SWITCHBOARD_POSTURE: 'embedded',
    ...(options.redisUrl ? { REDIS_URL: options.redisUrl } : {}),
    ...options.env,
  };
  const env = loadEnv(source);
  let app: Switchboard;
  try {
    app = await startSwitchboard({
      env,
      envSource: source,
      logger: options.logger ?? createLogger({ level: env.LOG_LEVEL }),
      port: 0,
      host: '127.0.0.1',
      sandboxPortsStart: 0,
      redisKeyPrefix: `sbtest:app:${randomBytes(6).toString('hex')}:`,
      ...(options.tracing ? { tracing: options.tracing } : {}),
    });
  } catch (error) {
    await database?.drop();
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    app,
    url: app.url,
    databaseUrl,
    async close() {
      await app.stop();
      await database?.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Waits for a condition that an event will eventually make true, without fixed sleeps. */
export async function eventually<T>(probe: () => Promise<T | undefined | null | false>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let delay = 25;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 250);
  }
}
