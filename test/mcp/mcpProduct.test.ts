import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { z } from 'zod';
import { exampleTenantsFilePath } from '../../src/config/tenantsFile.js';
import { eventually, startProduct, type RunningProduct } from '../app/support/product.js';
import { productAccess } from '../app/support/productAccess.js';
import { startTestMcpServer, type TestMcpServer } from '../support/mcpTestServer.js';
import { startScriptedOpenAI, type RecordedRequest, type ScriptedOpenAI } from '../support/scriptedOpenAI.js';

// Issue 17 through the whole product: a tenants file naming an MCP server (static key by env var
// name), the model sees its tools beside the connectors', plans one, and the call runs governed.
let kb: TestMcpServer;
let model: ScriptedOpenAI;
let product: RunningProduct;
let sql: pg.Client;
let dir: string;
let people: Record<string, string>;
const plans: Record<string, { tool: string; args: Record<string, unknown> }> = {
  'what does the handbook say about onboarding laptops': { tool: 'kb_search_pages', args: { query: 'onboarding laptops' } },
  'purge the handbook entry about old printers': { tool: 'kb_remove_page', args: { id: 'HB-9' } },
};

const userText = (request: RecordedRequest): string =>
  request.body.messages.filter((m) => m.role === 'user').map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content))).join('\n');
const offersTool = (request: RecordedRequest, name: string): boolean => (request.body.tools ?? []).some((t) => t.function.name === name);

beforeAll(async () => {
  kb = await startTestMcpServer([
    { name: 'search_pages', description: 'Search the handbook pages.', input: { query: z.string() }, annotations: { readOnlyHint: true }, run: (args) => ({ content: [{ type: 'text', text: `"Laptop onboarding" (HB-7) for ${String(args.query)}` }] }) },
    { name: 'remove_page', description: 'Remove a handbook page.', input: { id: z.string() }, annotations: { destructiveHint: true }, run: () => ({ content: [{ type: 'text', text: 'deleted' }] }) },
  ]);
  kb.requireAuthorization('Bearer product-kb-key');
  model = await startScriptedOpenAI({
    handler: (request) => {
      if (offersTool(request, 'submit_plan')) {
        const entry = Object.entries(plans).find(([text]) => userText(request).includes(text));
        if (entry && !userText(request).includes('<tool_results')) {
          return { kind: 'message', toolCalls: [{ name: 'submit_plan', arguments: { steps: [{ id: 's1', tool: entry[1].tool, args: entry[1].args, title: 'Use the handbook' }] } }], usage: { prompt_tokens: 500, completion_tokens: 40 } };
        }
      }
      return { kind: 'message', content: 'Here is what the handbook says.', usage: { prompt_tokens: 300, completion_tokens: 10 } };
    },
  });
  dir = await mkdtemp(join(tmpdir(), 'sb-mcp-'));
  const file = parseYaml(await readFile(exampleTenantsFilePath(), 'utf8')) as { tenants: Record<string, unknown>[] };
  file.tenants[0]!.mcpServers = [
    { id: 'kb', url: kb.url, displayName: 'Handbook', auth: { type: 'static', keyEnv: 'KB_MCP_KEY' } },
    // Nothing listens there: startup goes on without its tools and reports it.
    { id: 'hr', url: 'http://127.0.0.1:9/mcp', displayName: 'HR system' },
    { id: 'crm', url: 'http://127.0.0.1:9/crm', displayName: 'CRM', auth: { type: 'oauth' } },
  ];
  const tenantsFile = join(dir, 'tenants.yaml');
  await writeFile(tenantsFile, stringifyYaml(file));
  product = await startProduct({ env: { TENANTS_FILE: tenantsFile, KB_MCP_KEY: 'product-kb-key', OPENAI_BASE_URL: model.baseUrl, OPENAI_API_KEY: 'sk-test-mcp' } });
  ({ sql, people } = await productAccess(product));
});

afterAll(async () => {
  await sql?.end();
  await product?.close();
  await model?.close();
  await kb?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function ask(text: string, statuses: readonly string[]) {
  const response = await fetch(`${product.url}/api/web/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId: people.ada, threadId: randomUUID(), clientMessageId: randomUUID(), text }),
  });
  expect(response.status).toBe(202);
  const { runId } = (await response.json()) as { runId: string };
  return eventually(async () => {
    const row = (await sql.query('SELECT id, status, answer FROM runs WHERE id = $1', [runId])).rows[0] as { id: string; status: string; answer: string | null } | undefined;
    return row && statuses.includes(row.status) ? row : undefined;
  }, `run ${runId} to reach ${statuses.join('/')}`);
}

test('an MCP read tool is offered to the model, planned, and run as the employee without approval', async () => {
  const run = await ask('please tell me what does the handbook say about onboarding laptops', ['completed', 'failed', 'awaiting_approval']);
  expect(run.status).toBe('completed');
  expect(kb.calls).toEqual([{ tool: 'search_pages', args: { query: 'onboarding laptops' } }]);
  const planning = model.requests.find((r) => offersTool(r, 'submit_plan'))!;
  expect(planning.raw).toContain('kb_search_pages');
  const calls = (await sql.query('SELECT tool, status, risk FROM tool_calls WHERE run_id = $1', [run.id])).rows;
  expect(calls).toEqual([{ tool: 'kb_search_pages', status: 'succeeded', risk: 'read' }]);
  expect(product.app.banner).toMatch(/MCP kb ready \(2 tools\), hr down, retrying.*, crm off \(per-user OAuth not supported yet\)/);
  // The static key went to the server; it never reaches a prompt.
  for (const request of model.requests) expect(request.raw).not.toContain('product-kb-key');
});

test('a destructive MCP tool waits for an approver', async () => {
  const run = await ask('please purge the handbook entry about old printers', ['completed', 'failed', 'awaiting_approval']);
  expect(run.status).toBe('awaiting_approval');
  expect(kb.calls.filter((c) => c.tool === 'remove_page')).toHaveLength(0);
  const approval = (await sql.query('SELECT status FROM approvals WHERE run_id = $1', [run.id])).rows[0] as { status: string } | undefined;
  expect(approval?.status).toBe('pending');
});
