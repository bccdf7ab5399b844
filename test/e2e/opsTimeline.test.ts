import pg from 'pg';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/chromium.js';
import { eventually, startProduct, type RunningProduct } from '../app/support/product.js';
import { BREAK_GLASS } from '../app/support/signIn.js';

// Issue 15, deliverable 2: the operations view shows a run's timeline (waterfall of planning, steps,
// the approval wait and tool calls, and the events sent to the channel) and the usage charts per day.

let product: RunningProduct;
let browser: Browser;
let sql: pg.Client;
let runId: string;

const post = (path: string, body: unknown) => fetch(`${product.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

beforeAll(async () => {
  browser = await launchChromium();
  product = await startProduct();
  sql = new pg.Client({ connectionString: product.databaseUrl });
  await sql.connect();
  const { people } = (await (await fetch(`${product.url}/api/web/people`)).json()) as { people: { id: string; email: string }[] };
  const id = (name: string) => people.find((p) => p.email.startsWith(`${name}@`))!.id;
  // A run that plans, waits for an approval, calls the connector and answers.
  const sent = await post('/api/web/messages', { userId: id('ada'), threadId: 'thread-timeline', clientMessageId: 'timeline-1', text: 'please reset my okta password' });
  expect(sent.status).toBe(202);
  runId = ((await sent.json()) as { runId: string }).runId;
  const approvalId = await eventually(async () => (await sql.query('SELECT id FROM approvals WHERE run_id = $1', [runId])).rows[0]?.id as string | undefined, 'the approval request');
  expect((await post(`/api/web/approvals/${approvalId}`, { userId: id('linus'), decision: 'approve' })).status).toBe(200);
  await eventually(async () => (await sql.query('SELECT status FROM runs WHERE id = $1', [runId])).rows[0]?.status === 'completed', 'the run to complete');
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await sql?.end();
  await product?.close();
});

test('an admin opens a run\'s timeline and the usage charts', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(`${product.url}/ops`);
  await page.locator('#break-glass summary').click();
  await page.fill('#email', BREAK_GLASS.email);
  await page.fill('#password', BREAK_GLASS.password);
  await page.locator('#login-form button[type=submit]').click();

  // The run's waterfall: every step of the run, its tool call, the approval wait, and the events.
  await page.locator(`tr[data-run-id="${runId}"]`).click();
  const timeline = page.locator('[data-testid=timeline]');
  await timeline.waitFor();
  const steps = (await sql.query('SELECT key, title FROM steps WHERE run_id = $1', [runId])).rows as { key: string; title: string }[];
  expect(steps.length).toBeGreaterThan(0);
  const stepLabels = await timeline.locator('.tl-row[data-kind=step] .tl-label').allTextContents();
  expect(stepLabels.sort()).toEqual(steps.map((s) => `${s.key} ${s.title}`).sort());
  const tools = (await sql.query('SELECT tool FROM tool_calls WHERE run_id = $1', [runId])).rows as { tool: string }[];
  expect(await timeline.locator('.tl-row[data-kind=tool] .tl-label').allTextContents()).toEqual(tools.map((t) => t.tool));
  await expect(timeline.locator('.tl-row[data-kind=wait_approval]').count()).resolves.toBe(1);
  await expect(timeline.locator('.tl-row[data-kind=planning]').count()).resolves.toBeGreaterThan(0);
  const eventTypes = (await sql.query('SELECT type FROM run_events WHERE run_id = $1 ORDER BY seq', [runId])).rows.map((r: { type: string }) => r.type);
  const shown = await timeline.locator('[data-testid=timeline-event] td:nth-child(2)').allTextContents();
  expect(shown).toEqual(eventTypes);
  expect(shown).toContain('run.completed');

  // The usage charts: today's figures match the tables, and every chart is drawn.
  await page.locator('#tabs button[data-tab=usage]').click();
  await page.locator('[data-testid=usage-charts]').waitFor();
  const runsToday = Number((await sql.query(`SELECT count(*)::int AS n FROM runs WHERE tenant_id = 'acme' AND created_at >= date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'`)).rows[0].n);
  expect(runsToday).toBeGreaterThan(0);
  await expect(page.locator('[data-testid=today-runs]').textContent()).resolves.toBe(String(runsToday));
  const tokensToday = Number((await sql.query(`SELECT coalesce(sum(input_tokens + output_tokens), 0)::int AS n FROM usage_ledger WHERE tenant_id = 'acme' AND day = (now() AT TIME ZONE 'UTC')::date`)).rows[0].n);
  await expect(page.locator('[data-testid=today-tokens]').textContent()).resolves.toBe(String(tokensToday));
  await expect(page.locator('[data-testid=today-tier0]').textContent()).resolves.toBe('100%');
  await expect(page.locator('[data-testid=approvals-waiting]').textContent()).resolves.toBe('0');
  for (const name of ['runs', 'tier-0-share', 'tokens', 'usd', 'latency', 'failures-by-connector']) {
    await expect(page.locator(`[data-testid=chart-${name}] canvas`).count()).resolves.toBe(1);
  }
  expect(pageErrors).toEqual([]);
  await context.close();
});
