import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { startScriptedOpenAI, type RecordedRequest, type ScriptedOpenAI } from '../support/scriptedOpenAI.js';
import { eventually, startProduct, type RunningProduct } from './support/product.js';
import { productAccess } from './support/productAccess.js';

// The whole product with OPENAI_BASE_URL/OPENAI_API_KEY set: a request tier 0 does not know goes to
// a model through the real openai client (tool calling + streaming), runs as the employee, and the
// router's decision is recorded on the run. The model is a scripted OpenAI-compatible server.
const API_KEY = 'sk-test-model-tier';
let model: ScriptedOpenAI;
let product: RunningProduct;
let sql: pg.Client;
let people: Record<string, string>;

const offersTool = (request: RecordedRequest, name: string): boolean => (request.body.tools ?? []).some((t) => t.function.name === name);

beforeAll(async () => {
  model = await startScriptedOpenAI({
    // First call plans; after the step's result comes back, the model answers instead of replanning.
    handler: (_request, index) => {
      if (index === 0) {
        return {
          kind: 'message',
          toolCalls: [{ name: 'submit_plan', arguments: { steps: [{ id: 's1', tool: 'salesforce_create_case', args: { account: 'ACME Corp', subject: 'VPN tunnel keeps dropping', priority: 'High' }, title: 'Open a Salesforce case for ACME Corp' }] } }],
          usage: { prompt_tokens: 700, completion_tokens: 60 },
        };
      }
      return { kind: 'message', content: 'I opened a high-priority case for ACME Corp about the VPN tunnel.', usage: { prompt_tokens: 400, completion_tokens: 20 } };
    },
  });
  product = await startProduct({ env: { OPENAI_BASE_URL: model.baseUrl, OPENAI_API_KEY: API_KEY } });
  ({ sql, people } = await productAccess(product));
});

afterAll(async () => {
  await sql?.end();
  await product?.close();
  await model?.close();
});

test('a request tier 0 does not know is planned by a model, executed as the employee, and costed', async () => {
  const salesforce = product.app.sandboxes!.salesforce;
  const casesBefore = salesforce.state.rows('Case').length;
  const response = await fetch(`${product.url}/api/web/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId: people.alan, threadId: randomUUID(), clientMessageId: randomUUID(), text: 'please log a customer issue for ACME Corp: their VPN tunnel keeps dropping, high priority' }),
  });
  expect(response.status).toBe(202);
  const { runId } = (await response.json()) as { runId: string };
  const run = await eventually(async () => {
    const row = (await sql.query('SELECT status, answer, routing, tokens_used, cost_micros FROM runs WHERE id = $1', [runId])).rows[0] as { status: string; answer: string | null; routing: { tier: string; reason: string } | null; tokens_used: number; cost_micros: string } | undefined;
    return row && ['completed', 'failed', 'budget_exceeded'].includes(row.status) ? row : undefined;
  }, 'the run to finish').catch(async (error: unknown) => {
    const state = (await sql.query('SELECT status, routing, error FROM runs WHERE id = $1', [runId])).rows[0];
    const steps = (await sql.query('SELECT tool, status, error FROM steps WHERE run_id = $1', [runId])).rows;
    throw new Error(`${String(error)}: run ${JSON.stringify(state)} steps ${JSON.stringify(steps)} model requests ${model.requests.length}`);
  });

  expect(run.status).toBe('completed');
  expect(run.answer).toBe('I opened a high-priority case for ACME Corp about the VPN tunnel.');
  expect(run.routing?.tier).toBe('fast');
  expect(run.routing?.reason).toMatch(/single-connector request/);
  expect(run.tokens_used).toBe(700 + 60 + 400 + 20);
  expect(Number(run.cost_micros)).toBeGreaterThan(0);

  const cases = salesforce.state.rows('Case');
  expect(cases).toHaveLength(casesBefore + 1);
  expect(cases.at(-1)).toMatchObject({ Subject: 'VPN tunnel keeps dropping', Priority: 'High' });

  // The real openai client: bearer key, tools offered, the answer streamed with usage reported.
  const planning = model.requests.find((r) => offersTool(r, 'submit_plan'))!;
  expect(planning.headers.authorization).toBe(`Bearer ${API_KEY}`);
  const answering = model.requests.at(-1)!;
  expect(answering.body.stream).toBe(true);
  expect(answering.body.stream_options?.include_usage).toBe(true);
  // No connector token reaches a prompt.
  for (const request of model.requests) expect(request.raw).not.toMatch(/Bearer [A-Za-z0-9._-]{20,}|00D[A-Za-z0-9]{12,}!/);
});
