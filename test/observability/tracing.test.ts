import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { createLogger } from '../../src/core/logger.js';
import { createTracing, type Tracing } from '../../src/observability/tracing.js';
import { loadRunTimeline } from '../../src/ops/runTimeline.js';
import { openDatabase } from '../../src/store/database.js';
import { startScriptedOpenAI, type ScriptedOpenAI } from '../support/scriptedOpenAI.js';
import { eventually, startProduct, type RunningProduct } from '../app/support/product.js';
import { productAccess } from '../app/support/productAccess.js';

// The whole product (PostgreSQL, BullMQ on Redis, one process) with an in-memory span exporter: one
// employee request is one connected trace from the channel to the connectors' HTTP calls, a run resumed after an approval links back to it,
// and no span carries the message text or a credential.
const API_KEY = 'sk-test-tracing-secret';
const exporter = new InMemorySpanExporter();
let tracing: Tracing;
let model: ScriptedOpenAI;
let product: RunningProduct;
let sql: pg.Client;
let people: Record<string, string>;
const sentTexts: string[] = [];
const logLines: Record<string, unknown>[] = [];

beforeAll(async () => {
  model = await startScriptedOpenAI({
    handler: (_request, index) => index % 2 === 0
      ? {
        kind: 'message',
        toolCalls: [{ name: 'submit_plan', arguments: { steps: [{ id: 's1', tool: 'salesforce_create_case', args: { account: 'ACME Corp', subject: 'VPN tunnel keeps dropping', priority: 'High' }, title: 'Open a Salesforce case for ACME Corp' }] } }],
        usage: { prompt_tokens: 700, completion_tokens: 60 },
      }
      : { kind: 'message', content: 'I opened a high-priority case for ACME Corp.', usage: { prompt_tokens: 400, completion_tokens: 20 } },
  });
  tracing = createTracing({ env: {}, exporter });
  const logger = createLogger({ level: 'debug', destination: { write: (line: string) => void logLines.push(JSON.parse(line) as Record<string, unknown>) } });
  // BullMQ on Redis, so the trace context has to travel in the serialized job payload.
  const redisUrl = process.env.TEST_REDIS_URL;
  if (!redisUrl) throw new Error('TEST_REDIS_URL is required');
  product = await startProduct({ env: { OPENAI_BASE_URL: model.baseUrl, OPENAI_API_KEY: API_KEY }, tracing, logger, redisUrl });
  ({ sql, people } = await productAccess(product));
});

afterAll(async () => {
  await sql?.end();
  await product?.close();
  await model?.close();
  await tracing?.shutdown();
});

async function send(userId: string, text: string): Promise<string> {
  sentTexts.push(text);
  const response = await fetch(`${product.url}/api/web/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId, threadId: randomUUID(), clientMessageId: randomUUID(), text }),
  });
  expect(response.status).toBe(202);
  return ((await response.json()) as { runId: string }).runId;
}

async function settled(runId: string, statuses: readonly string[]): Promise<string> {
  return eventually(async () => {
    const status = (await sql.query('SELECT status FROM runs WHERE id = $1', [runId])).rows[0]?.status as string | undefined;
    return status && statuses.includes(status) ? status : undefined;
  }, `run ${runId} to reach ${statuses.join('/')}`, 30_000);
}

const spans = (): ReadableSpan[] => exporter.getFinishedSpans();
const parentOf = (span: ReadableSpan): string | undefined => span.parentSpanContext?.spanId;
const rootOf = (runId: string): ReadableSpan | undefined => spans().find((s) => s.name === 'web receive' && spans().some((g) => g.name === 'gateway submit' && g.attributes['switchboard.run_id'] === runId && parentOf(g) === s.spanContext().spanId));
const traceOf = (traceId: string): ReadableSpan[] => spans().filter((s) => s.spanContext().traceId === traceId);

/** Whether `span` sits below `ancestor` in the same trace. */
function descends(span: ReadableSpan, ancestor: ReadableSpan, all: readonly ReadableSpan[]): boolean {
  const byId = new Map(all.map((s) => [s.spanContext().spanId, s]));
  for (let at: ReadableSpan | undefined = span; at; at = byId.get(parentOf(at) ?? '')) {
    if (at === ancestor) return true;
  }
  return false;
}

test('a two-system request is one connected trace from the channel to both connector HTTP calls', async () => {
  const runId = await send(people.ada!, 'open a P2 incident for the VPN drops and file a Jira bug for the network team');
  expect(await settled(runId, ['completed', 'failed'])).toBe('completed');
  const root = await eventually(async () => rootOf(runId), 'the channel span');
  const trace = await eventually(async () => {
    const all = traceOf(root.spanContext().traceId);
    return all.filter((s) => s.name.startsWith('tool ')).length >= 2 ? all : undefined;
  }, 'both tool spans');

  // Connected: every span but the channel's has its parent in the same trace.
  const ids = new Set(trace.map((s) => s.spanContext().spanId));
  for (const span of trace) if (span !== root) expect(ids.has(parentOf(span) ?? '')).toBe(true);
  expect(parentOf(root)).toBeUndefined();

  const gateway = trace.find((s) => s.name === 'gateway submit')!;
  expect(parentOf(gateway)).toBe(root.spanContext().spanId);
  // The attempt that planned (a pass finding the run busy or settled may be traced beside it).
  const planning = trace.find((s) => s.name === 'planning' && s.attributes['switchboard.decision'] === 'plan')!;
  expect(planning).toBeDefined();
  const attempt = trace.find((s) => s.name === 'run attempt' && s.attributes['switchboard.run_id'] === runId && descends(planning, s, trace))!;
  expect(attempt).toBeDefined();
  expect(descends(attempt, gateway, trace)).toBe(true);
  expect(attempt.attributes['switchboard.tenant_id']).toBe('acme');
  // Log lines about the run written during the attempt name its trace.
  const routed = logLines.filter((line) => line.runId === runId && line.msg === 'planner route');
  expect(routed.length).toBeGreaterThan(0);
  for (const line of routed) expect(line.traceId).toBe(root.spanContext().traceId);

  const tools = trace.filter((s) => s.name.startsWith('tool '));
  expect(new Set(tools.map((s) => s.attributes['switchboard.connector_id'])).size).toBe(2);
  for (const tool of tools) {
    expect(descends(tool, attempt, trace)).toBe(true);
    const step = trace.find((s) => s.spanContext().spanId === parentOf(tool))!;
    expect(step.name).toBe(`step ${String(tool.attributes['switchboard.tool'])}`);
    expect(step.attributes).toMatchObject({ 'switchboard.step_id': tool.attributes['switchboard.step_id'], 'switchboard.step_status': 'succeeded' });
    expect(tool.attributes['switchboard.step_id']).toEqual(expect.any(String));
    expect(tool.attributes['switchboard.tool_status']).toBe('succeeded');
    const http = trace.filter((s) => s.name.startsWith('HTTP ') && descends(s, tool, trace));
    expect(http.length).toBeGreaterThanOrEqual(1);
    expect(http.some((s) => typeof s.attributes['http.response.status_code'] === 'number' && (s.attributes['http.response.status_code'] as number) < 300)).toBe(true);
  }
});

test('a model call is a span with the GenAI attributes and its cost', async () => {
  const runId = await send(people.alan!, 'please log a customer issue for ACME Corp: their VPN tunnel keeps dropping, high priority');
  expect(await settled(runId, ['completed', 'failed'])).toBe('completed');
  const root = await eventually(async () => rootOf(runId), 'the channel span');
  const trace = traceOf(root.spanContext().traceId);
  const chats = trace.filter((s) => s.attributes['gen_ai.operation.name'] === 'chat');
  expect(chats.length).toBeGreaterThanOrEqual(1);
  // Every call is a span; on a busy machine a tier can time out and fall back, and a failed call has
  // no usage to report, so the figures are read from the call that answered.
  for (const chat of chats) expect(chat.attributes['gen_ai.request.model']).toEqual(expect.any(String));
  const first = chats.find((s) => s.attributes['gen_ai.usage.input_tokens'] !== undefined);
  expect(first).toBeDefined();
  expect(first!.attributes).toMatchObject({ 'gen_ai.request.model': expect.any(String), 'gen_ai.usage.input_tokens': 700, 'gen_ai.usage.output_tokens': 60 });
  expect(first!.attributes['switchboard.cost_usd']).toEqual(expect.any(Number));
  const planning = trace.filter((s) => s.name === 'planning');
  for (const chat of chats) expect(planning.some((p) => descends(chat, p, trace))).toBe(true);
  expect(trace.some((s) => s.name === 'tool salesforce_create_case')).toBe(true);
});

test('a run resumed after an approval starts a new trace linked to the request trace', async () => {
  const runId = await send(people.ada!, 'please reset my okta password');
  await settled(runId, ['awaiting_approval']);
  const approvalId = await eventually(async () => (await sql.query('SELECT id FROM approvals WHERE run_id = $1', [runId])).rows[0]?.id as string | undefined, 'the approval');
  // Decide only once the first attempt has ended (its span is exported): a decision that lands while
  // that attempt is still finishing is picked up by the same attempt, which is no resume.
  await eventually(async () => spans().find((s) => s.name === 'run attempt' && s.attributes['switchboard.run_id'] === runId), 'the first attempt to end');
  const decided = await fetch(`${product.url}/api/web/approvals/${approvalId}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId: people.linus, decision: 'approve' }) });
  expect(decided.status).toBe(200);
  expect(await settled(runId, ['completed', 'failed'])).toBe('completed');
  const root = await eventually(async () => rootOf(runId), 'the channel span');
  // The approved call runs in an attempt that resumed: a new trace, linked to the request's. (A
  // follow-up pass of the same run may be a resumed attempt of its own, linked the same way.)
  const resumedWithCall = await eventually(async () => spans().find((s) => s.name === 'run attempt' && s.attributes['switchboard.run_id'] === runId
    && traceOf(s.spanContext().traceId).some((t) => t.name.startsWith('tool okta'))), 'the attempt that ran the approved call');
  expect(resumedWithCall.attributes['switchboard.resumed']).toBe(true);
  const resumed = spans().filter((s) => s.name === 'run attempt' && s.attributes['switchboard.run_id'] === runId && s.attributes['switchboard.resumed'] === true);
  for (const attempt of resumed) {
    expect(attempt.spanContext().traceId).not.toBe(root.spanContext().traceId);
    expect(attempt.links.map((l) => l.context.traceId)).toContain(root.spanContext().traceId);
  }
});

test('the run keeps its request\'s trace id, and its /ops timeline names it', async () => {
  const runId = await send(people.alan!, 'please look up the open cases for ACME Corp');
  const root = await eventually(async () => rootOf(runId), 'the channel span');
  const stored = await eventually(async () => (await sql.query('SELECT trace_id FROM runs WHERE id = $1', [runId])).rows[0]?.trace_id as string | null, 'the stored trace id');
  expect(stored).toBe(root.spanContext().traceId);
  await settled(runId, ['completed', 'failed', 'awaiting_approval', 'awaiting_link']);
  const db = await openDatabase({ url: product.databaseUrl, logger: createLogger({ level: 'silent' }), migrate: false });
  try {
    expect((await loadRunTimeline(db.prisma, 'acme', runId))?.run.traceId).toBe(root.spanContext().traceId);
    // Another tenant's view of the run shows nothing, trace id included.
    expect(await loadRunTimeline(db.prisma, 'globex', runId)).toBeNull();
    // A run created while tracing was off has no trace id, and the timeline says so.
    await sql.query('UPDATE runs SET trace_id = NULL WHERE id = $1', [runId]);
    expect((await loadRunTimeline(db.prisma, 'acme', runId))?.run.traceId).toBeNull();
  } finally {
    await db.close();
  }
});

test('no span attribute carries message text or a credential', () => {
  expect(spans().length).toBeGreaterThan(10);
  for (const span of spans()) {
    for (const [key, value] of Object.entries(span.attributes)) {
      expect(key).not.toMatch(/authorization|token(?!s)|password|secret|cookie|prompt|content|text/i);
      for (const text of [JSON.stringify(value)]) {
        expect(text).not.toContain(API_KEY);
        expect(text).not.toMatch(/bearer|sk-|ssws /i);
        for (const sent of sentTexts) expect(text).not.toContain(sent);
        for (const word of ['VPN', 'okta password', 'network team']) expect(text).not.toContain(word);
      }
    }
  }
});
