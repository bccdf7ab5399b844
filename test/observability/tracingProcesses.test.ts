import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { createTracing, type Tracing } from '../../src/observability/tracing.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startEffectsServer, type EffectsServer } from '../support/effectsServer.js';
import { cleanupRedisPrefix, createHarness, seedTenant, testTenant, turn, uniquePrefix, type Harness } from '../support/engineHarness.js';
import { startWorkerChild, workerBundle, type WorkerChild } from '../support/childProcess.js';
import { eventually } from '../app/support/product.js';

// Two processes on PostgreSQL + BullMQ/Redis: this one takes the request (gateway, no workers) and
// records its spans in memory; the child runs the job and exports its spans over OTLP/HTTP (JSON) to
// a receiver here. The child's run attempt must continue the request's trace under the span that submitted it.
interface OtlpSpan { traceId: string; spanId: string; parentSpanId?: string; name: string; attributes?: { key: string; value: { stringValue?: string } }[] }

const tenant = testTenant('traced');
const prefix = uniquePrefix('tracing');
const exporter = new InMemorySpanExporter();
const received: OtlpSpan[] = [];
let database: TestDatabase;
let effects: EffectsServer;
let receiver: Server;
let tracing: Tracing;
let local: Harness | undefined;
let child: WorkerChild | undefined;

beforeAll(async () => {
  database = await createTestDatabase();
  effects = await startEffectsServer();
  await seedTenant(database.db.prisma, tenant);
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { resourceSpans?: { scopeSpans?: { spans?: OtlpSpan[] }[] }[] };
      for (const rs of body.resourceSpans ?? []) for (const ss of rs.scopeSpans ?? []) received.push(...(ss.spans ?? []));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  tracing = createTracing({ env: {}, exporter });
});

afterAll(async () => {
  await child?.stop();
  await local?.close();
  await tracing?.shutdown();
  await effects?.stop();
  await database?.drop();
  await cleanupRedisPrefix(prefix);
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
});

test('a request taken in one process and run in another is one trace', async () => {
  const { port } = receiver.address() as AddressInfo;
  child = startWorkerChild(await workerBundle(), {
    DATABASE_URL: database.url, REDIS_PREFIX: prefix, EFFECTS_URL: effects.url, TENANT_IDS: tenant.id, WORKERS: '1',
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`, OTEL_SERVICE_NAME: 'switchboard-worker', OTEL_BSP_SCHEDULE_DELAY: '100',
  });
  await child.ready;
  local = await createHarness({ prisma: database.db.prisma, tenants: [tenant], effectsUrl: effects.url, workers: 0, redisPrefix: prefix, overrides: { tracing } });
  const script = { say: 'done', steps: [{ id: 's1', tool: 'effects_echo', args: { text: 'hello' } }] };
  const result = await tracing.inSpan('request', {}, () => local!.runtime.gateway.submit(turn(tenant.id, 'ada@acme.test', JSON.stringify(script))));
  expect(result.status).toBe('accepted');
  const runId = result.status === 'accepted' ? result.runId : '';
  const gateway = exporter.getFinishedSpans().find((s) => s.name === 'request')!;
  const traceId = gateway.spanContext().traceId;

  const attempt = await eventually(async () => received.find((s) => s.name === 'run attempt' && s.attributes?.some((a) => a.key === 'switchboard.run_id' && a.value.stringValue === runId) && received.some((t) => t.name === 'tool effects_echo' && t.traceId === s.traceId)), 'the worker process spans', 30_000);
  expect(attempt.traceId).toBe(traceId);
  expect(attempt.parentSpanId).toBe(gateway.spanContext().spanId);
  const tool = received.find((s) => s.name === 'tool effects_echo' && s.traceId === traceId)!;
  const step = received.find((s) => s.spanId === tool.parentSpanId)!;
  expect(step.name).toBe('step effects_echo');
  expect(step.parentSpanId).toBe(attempt.spanId);
});
