import { spawn, type ChildProcess } from 'node:child_process';
import pg from 'pg';
import { createEmptyTestDatabase, TEST_DATABASE_URL } from '../support/database.js';
import { eventually, startProduct, type RunningProduct } from './support/product.js';
import { startTcpProxy } from './support/tcpProxy.js';
import { freePort } from '../support/freePort.js';

// The product on real Postgres (through a proxy the test can cut) and on its own Redis server
// process (which the test stops and restarts): /readyz names what is down, and recovers.
let product: RunningProduct;
let redis: ChildProcess | undefined;
let redisPort: number;
let proxy: Awaited<ReturnType<typeof startTcpProxy>>;
let dropDatabase: () => Promise<void>;

async function startRedis(): Promise<void> {
  const child = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes', '--dir', '/tmp', '--appendfilename', `sb-ready-${redisPort}.aof`], { stdio: ['ignore', 'pipe', 'inherit'] });
  redis = child;
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}`)));
    child.stdout!.on('data', (chunk: Buffer) => { if (chunk.toString().includes('Ready to accept connections')) resolve(); });
  });
}

async function stopRedis(): Promise<void> {
  const child = redis;
  redis = undefined;
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

const readyz = async () => {
  const response = await fetch(`${product.url}/readyz`);
  return { status: response.status, body: (await response.json()) as { checks: Record<string, string>; failed?: string[] } };
};

beforeAll(async () => {
  redisPort = await freePort();
  await startRedis();
  const database = await createEmptyTestDatabase();
  dropDatabase = database.drop;
  const target = new URL(TEST_DATABASE_URL);
  proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
  const viaProxy = new URL(database.url);
  viaProxy.host = `127.0.0.1:${proxy.port}`;
  product = await startProduct({ databaseUrl: viaProxy.toString(), redisUrl: `redis://127.0.0.1:${redisPort}` });
});

afterAll(async () => {
  await product?.close();
  await stopRedis();
  await proxy?.close();
  await dropDatabase?.();
});

test('healthz and readyz answer while everything is up', async () => {
  expect((await fetch(`${product.url}/healthz`)).status).toBe(200);
  expect(await readyz()).toEqual({ status: 200, body: { status: 'ready', checks: { database: 'ok', cache: 'ok', queue: 'ok', channels: 'ok' } } });
  const metrics = await (await fetch(`${product.url}/metrics`)).text();
  expect(metrics).toContain('switchboard_runs_total');
});

test('readyz fails while Redis is down, recovers after, and a run queued before the outage is not lost', async () => {
  const people = (await (await fetch(`${product.url}/api/web/people`)).json()) as { people: { id: string; email: string }[] };
  const ada = people.people.find((p) => p.email === 'ada@acme.test')!.id;
  const sent = await fetch(`${product.url}/api/web/messages`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId: ada, threadId: 'thread-outage', clientMessageId: 'msg-outage-1', text: 'please reset my okta password' }),
  });
  expect(sent.status).toBe(202);
  const { runId } = (await sent.json()) as { runId: string };

  await stopRedis();
  const down = await eventually(async () => { const r = await readyz(); return r.status === 503 ? r : null; }, 'readyz to report Redis down');
  expect(down.body.failed).toEqual(expect.arrayContaining(['cache']));
  expect(down.body.checks.database).toBe('ok');

  await startRedis();
  await eventually(async () => (await readyz()).status === 200, 'readyz to recover after Redis returns');
  const sql = new pg.Client({ connectionString: product.databaseUrl });
  await sql.connect();
  try {
    const status = await eventually(async () => {
      const row = (await sql.query('SELECT status FROM runs WHERE id = $1', [runId])).rows[0] as { status: string } | undefined;
      return row && row.status !== 'queued' && row.status !== 'planning' && row.status !== 'executing' ? row.status : null;
    }, 'the run to reach a resting state');
    expect(status).toBe('awaiting_approval');
  } finally {
    await sql.end();
  }
});

test('readyz fails while Postgres is unreachable and recovers when it returns', async () => {
  await proxy.cut();
  const down = await eventually(async () => { const r = await readyz(); return r.status === 503 ? r : null; }, 'readyz to report the database down');
  expect(down.body.failed).toContain('database');
  await proxy.restore();
  await eventually(async () => (await readyz()).status === 200, 'readyz to recover after Postgres returns');
});
