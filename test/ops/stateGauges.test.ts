import { readFile } from 'node:fs/promises';
import { eventually } from '../app/support/product.js';
import { useProduct } from '../app/support/productAccess.js';

// Issue 15, deliverable 4: /metrics carries what an operator alerts on from the shared store:
// approvals waiting and their age, runs waiting per status, today's spend against the tenant's caps.
const env = useProduct({ timeoutMs: 120_000 });

/** The value of one sample of /metrics, or undefined when absent. */
async function sample(name: string, labels: string): Promise<number | undefined> {
  const text = await (await fetch(`${env.product.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}}`));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

test('a waiting approval and its run show up per tenant; today\'s spend against the caps', async () => {
  expect(await sample('switchboard_approvals_waiting', 'tenant="acme"')).toBe(0);
  const { people } = (await (await fetch(`${env.product.url}/api/web/people`)).json()) as { people: { id: string; email: string }[] };
  const ada = people.find((p) => p.email.startsWith('ada@'))!;
  const sent = await fetch(`${env.product.url}/api/web/messages`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId: ada.id, threadId: 'thread-gauges', clientMessageId: 'gauges-message-1', text: 'please reset my okta password' }),
  });
  const { runId } = (await sent.json()) as { runId: string };
  await eventually(async () => (await env.sql.query('SELECT status FROM runs WHERE id = $1', [runId])).rows[0]?.status === 'awaiting_approval', 'the run to wait for its approval');

  await eventually(async () => (await sample('switchboard_approvals_waiting', 'tenant="acme"')) === 1, 'approvals_waiting to be 1');
  expect(await sample('switchboard_runs_waiting', 'tenant="acme",status="awaiting_approval"')).toBe(1);
  expect(await sample('switchboard_runs_waiting', 'tenant="acme",status="queued"')).toBe(0);
  expect(await sample('switchboard_approval_oldest_wait_seconds', 'tenant="acme"')).toBeGreaterThanOrEqual(0);

  await env.sql.query(`INSERT INTO usage_ledger (tenant_id, user_id, kind, tier, input_tokens, output_tokens, cost_micros, day) VALUES ('acme', $1, 'model', 'fast', 600, 400, 2000000, (now() AT TIME ZONE 'UTC')::date)`, [ada.id]);
  await eventually(async () => (await sample('switchboard_budget_used_today', 'tenant="acme",resource="usd"')) === 2, 'today\'s spend in USD');
  expect(await sample('switchboard_budget_used_today', 'tenant="acme",resource="tokens"')).toBe(1000);
  // tenants.example.yaml caps acme at $100 and 20,000,000 tokens a day.
  expect(await sample('switchboard_budget_used_ratio', 'tenant="acme",resource="usd"')).toBeCloseTo(0.02, 6);
  expect(await sample('switchboard_budget_used_ratio', 'tenant="acme",resource="tokens"')).toBeCloseTo(1000 / 20_000_000, 9);
});

test('the Grafana dashboard and docs/operations.md name only metrics that /metrics serves', async () => {
  const served = new Set([...(await (await fetch(`${env.product.url}/metrics`)).text()).matchAll(/^# TYPE (\S+)/gm)].map((m) => m[1]!));
  const base = (name: string) => name.replace(/_(bucket|count|sum)$/, '');
  const dashboard = await readFile(new URL('../../docs/grafana/switchboard.json', import.meta.url), 'utf8');
  const inDashboard = [...new Set([...dashboard.matchAll(/switchboard_[a-z0-9_]+/g)].map((m) => base(m[0])))];
  expect(inDashboard.length).toBeGreaterThan(10);
  expect(inDashboard.filter((name) => !served.has(name))).toEqual([]);
  const doc = await readFile(new URL('../../docs/operations.md', import.meta.url), 'utf8');
  const tableRows = [...doc.matchAll(/^\| `([a-z_]+)` \|/gm)].map((m) => `switchboard_${m[1]}`);
  const inAlerts = [...doc.matchAll(/switchboard_[a-z0-9_]+/g)].map((m) => base(m[0]));
  expect(tableRows.length).toBeGreaterThan(10);
  expect([...new Set([...tableRows, ...inAlerts])].filter((name) => !served.has(name))).toEqual([]);
});
