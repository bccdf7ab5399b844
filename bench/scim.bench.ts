/**
 * SCIM provisioning at a large customer's size (issue 16): 15,000 users (each with a manager) and
 * 2,000 groups (15 members each) pushed to /scim/v2 of the whole product on PostgreSQL, by
 * BENCH_CONCURRENCY parallel clients as an IdP's provisioning workers are. Prints throughput, then
 * the latency of the lookups IdPs and the request path make at that size, and the query plans that
 * show they are index lookups. Sizes: BENCH_SCIM_USERS, BENCH_SCIM_GROUPS.
 */
import pg from 'pg';
import { ENTERPRISE_URN, filter, GROUP_URN, scimClient, startScimProduct, USER_URN } from '../test/scim/support.js';

const USERS = Number(process.env.BENCH_SCIM_USERS ?? 15_000);
const GROUPS = Number(process.env.BENCH_SCIM_GROUPS ?? 2_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const MEMBERS = 15;
const MANAGERS = Math.max(1, Math.min(200, Math.floor(USERS / 20)));

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function pool<T>(count: number, work: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array<T>(count);
  let next = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < count) {
      const i = next;
      next += 1;
      results[i] = await work(i);
    }
  }));
  return results;
}

async function main(): Promise<void> {
  const running = await startScimProduct();
  const scim = scimClient(running.product.url, running.acmeToken);
  const db = new pg.Client({ connectionString: running.product.databaseUrl });
  await db.connect();
  try {
    const user = (i: number, managerId?: string) => ({
      schemas: [USER_URN, ENTERPRISE_URN], userName: `bench.user${i}@acme.test`, externalId: `ext-${i}`, active: true,
      name: { givenName: 'Bench', familyName: `User ${i}` }, emails: [{ primary: true, type: 'work', value: `bench.user${i}@acme.test` }],
      [ENTERPRISE_URN]: { department: `Dept ${i % 50}`, ...(managerId ? { manager: { value: managerId } } : {}) },
    });
    let t = performance.now();
    const managers = await pool(MANAGERS, async (i) => {
      const res = await scim('POST', '/Users', user(i));
      if (res.status !== 201) throw new Error(`user ${i}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.id!;
    });
    const rest = await pool(USERS - MANAGERS, async (j) => {
      const i = j + MANAGERS;
      const res = await scim('POST', '/Users', user(i, managers[i % MANAGERS]));
      if (res.status !== 201) throw new Error(`user ${i}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.id!;
    });
    const userSeconds = (performance.now() - t) / 1000;
    const ids = [...managers, ...rest];
    t = performance.now();
    await pool(GROUPS, async (g) => {
      const members = Array.from({ length: MEMBERS }, (_, k) => ({ value: ids[(g * MEMBERS + k) % ids.length]! }));
      const res = await scim('POST', '/Groups', { schemas: [GROUP_URN], displayName: g === 0 ? 'IT Admins' : `Bench group ${g}`, members });
      if (res.status !== 201) throw new Error(`group ${g}: ${res.status}`);
    });
    const groupSeconds = (performance.now() - t) / 1000;

    const lookups: number[] = [];
    for (let k = 0; k < 200; k += 1) {
      const i = Math.floor(Math.random() * USERS);
      const s = performance.now();
      const res = await scim('GET', `/Users?filter=${filter(`userName eq "bench.user${i}@acme.test"`)}`);
      lookups.push(performance.now() - s);
      if (res.body.totalResults !== 1) throw new Error(`lookup ${i} found ${String(res.body.totalResults)}`);
    }
    lookups.sort((a, b) => a - b);
    const plan = async (sql: string, values: unknown[]) => (await db.query(`EXPLAIN ${sql}`, values)).rows.map((r: Record<string, string>) => Object.values(r)[0]).join(' | ');

    process.stdout.write([
      `SCIM provisioning, ${CONCURRENCY} parallel clients, PostgreSQL`,
      `  users:  ${USERS} in ${userSeconds.toFixed(1)} s = ${(USERS / userSeconds).toFixed(0)} users/s (each with a manager, department, externalId)`,
      `  groups: ${GROUPS} in ${groupSeconds.toFixed(1)} s = ${(GROUPS / groupSeconds).toFixed(0)} groups/s (${MEMBERS} members each, roles recomputed)`,
      `  GET /Users?filter=userName eq at ${USERS} users: p50 ${percentile(lookups, 50).toFixed(1)} ms, p99 ${percentile(lookups, 99).toFixed(1)} ms`,
      `  plan userName eq:        ${await plan(`SELECT id FROM users WHERE tenant_id = $1 AND scim_user_name = $2`, ['acme', 'bench.user7@acme.test'])}`,
      `  plan externalId eq:      ${await plan(`SELECT id FROM users WHERE tenant_id = $1 AND external_id = $2`, ['acme', 'ext-7'])}`,
      `  plan approver group:     ${await plan(`SELECT id FROM users WHERE tenant_id = $1 AND approver_groups && ARRAY[$2]::text[] AND deactivated_at IS NULL`, ['acme', 'it-admins'])}`,
      `  plan manager (by id):    ${await plan(`SELECT id FROM users WHERE tenant_id = $1 AND id = $2::uuid`, ['acme', ids[0]])}`,
      '',
    ].join('\n'));
  } finally {
    await db.end();
    await running.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error instanceof Error ? error.stack : error)}\n`);
  process.exit(1);
});
