/**
 * A worker process for the multi-process tests: `node --import tsx test/support/engineWorker.ts`.
 * Configured through the environment; prints "ready" when its workers run; SIGTERM stops it cleanly.
 * CRASH_AT="<boundary>:<stepKey>" with CRASH_RUN=<runId> makes it SIGKILL itself at that boundary.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../../src/generated/prisma/client.js';
import { createHarness, testTenant } from './engineHarness.js';
import { createTracing, tracesRequested } from '../../src/observability/tracing.js';

const env = process.env;
const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: env.DATABASE_URL ?? '' }) });
const tenantOverrides = JSON.parse(env.TENANT_OVERRIDES ?? '{}') as Record<string, unknown>;
const tenants = (env.TENANT_IDS ?? '').split(',').filter(Boolean).map((id) => testTenant(id, tenantOverrides));
const crashAt = env.CRASH_AT;
const crashRun = env.CRASH_RUN;

const harness = await createHarness({
  prisma,
  tenants,
  effectsUrl: env.EFFECTS_URL ?? '',
  workers: Number(env.WORKERS ?? 1),
  redisPrefix: env.REDIS_PREFIX ?? 'sbtest:worker:',
  overrides: {
    settings: { leaseMs: Number(env.LEASE_MS ?? 2000), busyRetryMs: 50 },
    queue: { kind: env.QUEUE === 'memory' ? 'memory' : 'auto', lockDurationMs: Number(env.LOCK_MS ?? 5000) },
    // OTEL_EXPORTER_OTLP_ENDPOINT set: this process's spans go to that OTLP receiver (the tracing test).
    ...(tracesRequested(env) ? { tracing: createTracing({ env }) } : {}),
    ...(crashAt
      ? {
          onBoundary: (point: string, info: { runId: string; stepKey?: string }) => {
            if (`${point}:${info.stepKey ?? ''}` === crashAt && (!crashRun || info.runId === crashRun)) process.kill(process.pid, 'SIGKILL');
          },
        }
      : {}),
  },
});
// SUBMIT_HTTP=1: the gateway over HTTP (POST / with a Turn → the SubmitResult), as a product
// process's front door would be; the chaos test sends requests and retries through it.
if (env.SUBMIT_HTTP) {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void harness.runtime.gateway
        .submit(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Parameters<typeof harness.runtime.gateway.submit>[0])
        .then((result) => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify(result));
        })
        .catch((error: unknown) => {
          res.writeHead(503, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: error instanceof Error ? error.message : String(error) }));
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  process.stdout.write(`port:${(server.address() as AddressInfo).port}\n`);
}
process.stdout.write('ready\n');

// Submit-only mode for the gateway test: hand the same turn to the gateway N times at once.
if (env.SUBMIT_TURN) {
  const turn = JSON.parse(env.SUBMIT_TURN) as Parameters<typeof harness.runtime.gateway.submit>[0];
  const results = await Promise.all(Array.from({ length: Number(env.SUBMIT_COUNT ?? 1) }, () => harness.runtime.gateway.submit(turn)));
  process.stdout.write(`results:${JSON.stringify(results)}\n`);
}

process.on('SIGTERM', () => {
  void harness
    .close()
    .then(() => prisma.$disconnect())
    .finally(() => process.exit(0));
});
