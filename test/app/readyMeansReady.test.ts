import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { loadEnv } from '../../src/config/env.js';
import { createLogger } from '../../src/core/logger.js';
import { startSwitchboard, type Switchboard } from '../../src/app/startSwitchboard.js';
import { createEmptyTestDatabase } from '../support/database.js';
import { freePort } from '../support/freePort.js';

// Issue 10 finding 9 (and issue 12 "not ready yet, but listening"): the listener opens before the
// routes are mounted. Every request in that window must get 503, never 404; /readyz is 200 only once
// every channel has mounted and started; on shutdown /readyz turns 503 before the listener closes.

interface Probe {
  readonly path: string;
  readonly method: string;
  readonly status: number;
}

const ROUTES = [
  { method: 'GET', path: '/readyz' },
  { method: 'GET', path: '/healthz' },
  { method: 'POST', path: '/api/web/messages' },
  { method: 'POST', path: '/api/messages' },
  { method: 'POST', path: '/slack/events' },
  { method: 'GET', path: '/ops/api/me' },
] as const;

async function probe(base: string, route: (typeof ROUTES)[number]): Promise<Probe | undefined> {
  try {
    const response = await fetch(`${base}${route.path}`, { method: route.method, ...(route.method === 'POST' ? { headers: { 'content-type': 'application/json' }, body: '{}' } : {}) });
    await response.arrayBuffer();
    return { ...route, status: response.status };
  } catch {
    return undefined; // not listening (yet, or any more)
  }
}

test('503 while starting, never 404; ready only when every channel runs; 503 on shutdown before the listener closes', async () => {
  const database = await createEmptyTestDatabase();
  const dataDir = await mkdtemp(join(tmpdir(), 'sb-ready-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const source: Record<string, string> = {
    NODE_ENV: 'test', LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent', DATABASE_URL: database.url, DATA_DIR: dataDir, ADMIN_PASSWORD: 'test-admin-password-1234', WORKERS_PER_PROCESS: '2',
    SWITCHBOARD_POSTURE: 'embedded',
    SLACK_CLIENT_ID: '111.222', SLACK_CLIENT_SECRET: 'client-secret', SLACK_STATE_SECRET: 'state-secret-xyz', SLACK_SIGNING_SECRET: 'signing-secret',
    MICROSOFT_APP_ID: '7d1c5b3a-9e8f-4a6b-8c2d-1e0f9a8b7c6d', MICROSOFT_APP_PASSWORD: 'unused', MICROSOFT_APP_TYPE: 'MultiTenant',
  };
  const env = loadEnv(source);
  let started = false;
  const starting = startSwitchboard({ env, envSource: source, logger: createLogger({ level: env.LOG_LEVEL }), port, host: '127.0.0.1', sandboxPortsStart: 0, redisKeyPrefix: `sbtest:ready:${randomBytes(6).toString('hex')}:`, shutdownDrainMs: 1000 })
    .finally(() => (started = true));
  const seen: Probe[] = [];
  const readyTooEarly: Probe[] = [];
  let app: Switchboard | undefined;
  try {
    while (!started) {
      for (const route of ROUTES) {
        const result = await probe(base, route);
        if (!result) continue;
        seen.push(result);
        if (result.path === '/readyz' && result.status === 200) {
          // Ready means ready: every channel's route answers for itself from now on.
          for (const other of ROUTES) {
            const after = await probe(base, other);
            if (after && (after.status === 404 || after.status === 503)) readyTooEarly.push(after);
          }
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    app = await starting;
    expect(seen.filter((p) => p.status === 404)).toEqual([]);
    expect(seen.some((p) => p.status === 503)).toBe(true);
    expect(readyTooEarly).toEqual([]);
    expect((await probe(base, ROUTES[0]))?.status).toBe(200);

    const stopping = app.stop();
    app = undefined;
    const during = await probe(base, ROUTES[0]);
    expect(during?.status).toBe(503);
    await stopping;
    expect(await probe(base, ROUTES[0])).toBeUndefined();
  } finally {
    await (app ?? (await starting.catch(() => undefined)))?.stop();
    await database.drop();
    await rm(dataDir, { recursive: true, force: true });
  }
});
