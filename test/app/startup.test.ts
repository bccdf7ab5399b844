import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEnv } from '../../src/config/env.js';
import { createLogger } from '../../src/core/logger.js';
import { startSwitchboard, type Switchboard } from '../../src/app/startSwitchboard.js';

// `npm start` with no configuration: embedded PGlite, in-process queue and cache, sandboxes, demo tenant.
let app: Switchboard | undefined;
let dataDir: string;

afterAll(async () => {
  await app?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

// No timing assertion here (bench and the banner report startup time); the generous timeout covers
// PGlite's first initdb on a loaded 2-core CI machine.
test('starts with no configuration and answers healthz and readyz', async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'sb-embedded-'));
  const source = { DATA_DIR: dataDir, LOG_LEVEL: 'silent' };
  const started = Date.now();
  app = await startSwitchboard({ env: loadEnv(source), envSource: source, logger: createLogger({ level: 'silent' }), port: 0, host: '127.0.0.1', sandboxPortsStart: 0 });
  process.stdout.write(`embedded startup: ${Date.now() - started} ms\n`);
  expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
  const ready = await fetch(`${app.url}/readyz`);
  expect(await ready.json()).toEqual({ status: 'ready', checks: { database: 'ok', cache: 'ok', queue: 'ok', channels: 'ok' } });
  expect(app.banner).toContain('embedded PGlite');
  expect(app.banner).toContain('20 linked now');
  // Nothing configured: operations sign-in is SSO against the Okta sandbox, and /metrics is open to loopback only.
  expect(app.banner).toContain('acme: SSO via Okta sandbox (pick an admin: linus@acme.test)');
  expect((await fetch(`${app.url}/metrics`)).status).toBe(200);
  const page = await fetch(app.url);
  expect(page.headers.get('content-type')).toContain('text/html');
  expect(await page.text()).toContain('Switchboard playground');
}, 180_000);
