import pg from 'pg';
import { startProduct, type RunningProduct } from '../app/support/product.js';
import { breakGlassSignIn, type TestSession } from '../app/support/signIn.js';

// Issue 15, deliverable 2: the operations view stays fast with 100,000 runs. The runs table is
// keyset-paged (a later page continues exactly after the earlier one, ties on the same instant
// included) and comes from an index range, never a sort of the tenant's runs; the daily charts
// count every run of their window.
const RUNS = 100_000;
let product: RunningProduct;
let sql: pg.Client;
let session: TestSession;

beforeAll(async () => {
  product = await startProduct();
  sql = new pg.Client({ connectionString: product.databaseUrl });
  await sql.connect();
  const ada = (await sql.query(`SELECT id FROM users WHERE tenant_id = 'acme' AND email = 'ada@acme.test'`)).rows[0].id as string;
  // Spread over 90 days, five runs per instant (ties), one in eight failed, one in four by tier 0.
  await sql.query(`
    INSERT INTO runs (tenant_id, conversation_id, user_id, channel, delivery_id, status, input, reply, caps, routing, created_at, finished_at)
    SELECT 'acme', gen_random_uuid(), $1, 'web', 'scale-' || n, CASE WHEN n % 8 = 0 THEN 'failed' ELSE 'completed' END, 'request ' || n, '{}', '{}',
           jsonb_build_object('tier', CASE WHEN n % 4 = 0 THEN 'deterministic' ELSE 'fast' END),
           now() - ((n / 5) * interval '388 seconds'), now() - ((n / 5) * interval '388 seconds') + interval '2 seconds'
    FROM generate_series(1, $2::int) AS n`, [ada, RUNS]);
  await sql.query('ANALYZE runs');
  session = await breakGlassSignIn(product.url);
}, 180_000);

afterAll(async () => {
  await sql?.end();
  await product?.close();
});

const get = async <T>(path: string): Promise<T> => {
  const response = await fetch(`${product.url}${path}`, { headers: { cookie: session.cookie } });
  expect(response.status).toBe(200);
  return (await response.json()) as T;
};
type Page = { runs: { id: string; createdAt: string }[]; nextCursor: string | null };

test('pages of runs follow each other exactly, in the order of the whole table', async () => {
  const expected = (await sql.query(`SELECT id FROM runs WHERE tenant_id = 'acme' ORDER BY created_at DESC, id DESC LIMIT 600`)).rows.map((r: { id: string }) => r.id);
  const seen: string[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 3; page += 1) {
    const body: Page = await get<Page>(`/ops/api/runs?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(body.runs).toHaveLength(200);
    seen.push(...body.runs.map((r) => r.id));
    cursor = body.nextCursor;
    expect(cursor).not.toBeNull();
  }
  expect(seen).toEqual(expected);
  const bad = await fetch(`${product.url}/ops/api/runs?cursor=nonsense`, { headers: { cookie: session.cookie } });
  expect(bad.status).toBe(400);
});

test('a deep page is an index range scan, not a sort of the tenant\'s runs', async () => {
  const { created_at: at, id } = (await sql.query(`SELECT created_at, id FROM runs WHERE tenant_id = 'acme' ORDER BY created_at DESC, id DESC OFFSET 90000 LIMIT 1`)).rows[0] as { created_at: Date; id: string };
  const plan = (await sql.query(`EXPLAIN (FORMAT JSON) SELECT id FROM runs WHERE tenant_id = 'acme' AND created_at <= $1 AND (created_at < $1 OR id < $2) ORDER BY created_at DESC, id DESC LIMIT 50`, [at, id])).rows[0]['QUERY PLAN'];
  const text = JSON.stringify(plan);
  expect(text).toContain('runs_tenant_id_created_at_id_idx');
  expect(text).not.toContain('"Node Type":"Sort"');
  expect(text).not.toContain('Seq Scan');
});

test('the daily series count every run of the window, tier-0 share and failures included', async () => {
  const daily = await get<{ days: string[]; runs: number[]; tier0Share: (number | null)[]; p50Ms: (number | null)[] }>('/ops/api/usage/daily?days=14');
  const rows = (await sql.query(`
    SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, count(*)::int AS n, count(*) FILTER (WHERE routing->>'tier' = 'deterministic')::int AS t0
    FROM runs WHERE tenant_id = 'acme' AND created_at >= (date_trunc('day', now() AT TIME ZONE 'UTC') - interval '13 days') AT TIME ZONE 'UTC' GROUP BY 1`)).rows as { day: string; n: number; t0: number }[];
  const byDay = new Map(rows.map((r) => [r.day, r]));
  expect(daily.days).toHaveLength(14);
  expect(daily.runs).toEqual(daily.days.map((d) => byDay.get(d)?.n ?? 0));
  expect(daily.runs.reduce((a, b) => a + b, 0)).toBeGreaterThan(10_000);
  daily.days.forEach((d, i) => {
    const r = byDay.get(d);
    if (r && i < 13) expect(daily.tier0Share[i]).toBeCloseTo(r.t0 / r.n, 5);
  });
  expect(daily.p50Ms[5]).toBe(2000);
});

test('the timeline and the charts are the signed-in tenant\'s only, and need a session', async () => {
  const other = (await sql.query(`INSERT INTO runs (tenant_id, conversation_id, user_id, channel, delivery_id, input, reply, caps) VALUES ('globex', gen_random_uuid(), gen_random_uuid(), 'web', 'other-1', 'globex request', '{}', '{}') RETURNING id`)).rows[0].id as string;
  const mine = (await sql.query(`SELECT id FROM runs WHERE tenant_id = 'acme' LIMIT 1`)).rows[0].id as string;
  expect((await fetch(`${product.url}/ops/api/runs/${other}/timeline`, { headers: { cookie: session.cookie } })).status).toBe(404);
  expect((await fetch(`${product.url}/ops/api/runs/${mine}/timeline`, { headers: { cookie: session.cookie } })).status).toBe(200);
  expect((await fetch(`${product.url}/ops/api/runs/${mine}/timeline`)).status).toBe(401);
  expect((await fetch(`${product.url}/ops/api/usage/daily`)).status).toBe(401);
  expect((await fetch(`${product.url}/ops/api/usage/daily?days=1000`, { headers: { cookie: session.cookie } })).status).toBe(400);
  const daily = await get<{ runs: number[] }>('/ops/api/usage/daily?days=1');
  expect(daily.runs[0]).toBe(Number((await sql.query(`SELECT count(*)::int AS n FROM runs WHERE tenant_id = 'acme' AND created_at >= date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'`)).rows[0].n));
});
