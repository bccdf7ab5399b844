import { mkdtemp, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { z } from 'zod';
import { loadEnv } from '../config/env.js';
import { createLogger } from '../core/logger.js';
import { startSwitchboard, type Switchboard } from '../app/startSwitchboard.js';
import { checkEndState, type EndStateVerdict, type RecordsBySystem } from './endState.js';
import type { Scenario } from './scenario.js';

/**
 * The eval's product mode: the whole product (startSwitchboard in the embedded posture, with the four
 * sandboxes and their read-only record views) on a scratch PostgreSQL database. Each scenario's
 * employee turns go through the web playground API as its persona; the runner waits for every run to
 * settle, has an allowed approver approve when the scenario says so, and checks the expected end state
 * against the sandboxes' records and the approvals table. PostgreSQL (not the embedded PGlite) so the
 * runner can read the runs and approvals tables from outside the product.
 */
const SETTLED = new Set(['completed', 'failed', 'cancelled', 'awaiting_approval', 'awaiting_link']);
const peopleSchema = z.object({ people: z.array(z.object({ id: z.string(), email: z.string() })) });
const acceptedSchema = z.object({ runId: z.string() });

export interface ProductProbe {
  readonly app: Switchboard;
  /** User ids by the local part of each demo person's email. */
  readonly people: Record<string, string>;
  readonly sql: pg.Client;
  close(): Promise<void>;
}

function withDatabase(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Starts the product on a new database of `serverUrl`; close() stops it and drops the database. */
export async function startProductForEval(serverUrl: string): Promise<ProductProbe> {
  const name = `sb_eval_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const drop = async (): Promise<void> => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.end();
  };
  const dataDir = await mkdtemp(join(tmpdir(), 'sb-eval-'));
  const databaseUrl = withDatabase(serverUrl, name);
  const source: Record<string, string> = { LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent', DATABASE_URL: databaseUrl, DATA_DIR: dataDir, SWITCHBOARD_POSTURE: 'embedded' };
  const env = loadEnv(source);
  let app: Switchboard;
  try {
    app = await startSwitchboard({ env, envSource: source, logger: createLogger({ level: env.LOG_LEVEL }), port: 0, host: '127.0.0.1', sandboxPortsStart: 0, redisKeyPrefix: `sbeval:${name}:` });
  } catch (error) {
    await drop();
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  const body = peopleSchema.parse(await (await fetch(`${app.url}/api/web/people`)).json());
  const people = Object.fromEntries(body.people.map((p) => [p.email.split('@')[0]!, p.id]));
  const sql = new pg.Client({ connectionString: databaseUrl });
  await sql.connect();
  return {
    app, people, sql,
    async close() {
      await sql.end();
      await app.stop();
      await drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Every record of every sandbox, read through the read-only record views. */
export async function snapshotRecords(app: Switchboard): Promise<RecordsBySystem> {
  const out: RecordsBySystem = {};
  for (const [system, url] of Object.entries(app.sandboxes?.urls ?? {})) {
    const counts = z.record(z.string(), z.number()).parse(await (await fetch(`${url}/__sandbox/records`)).json());
    out[system] = {};
    for (const collection of Object.keys(counts)) {
      out[system][collection] = z.array(z.record(z.string(), z.unknown())).parse(await (await fetch(`${url}/__sandbox/records/${encodeURIComponent(collection)}`)).json());
    }
  }
  return out;
}

async function waitFor<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 25; ; delay = Math.min(delay * 2, 250)) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

async function settledStatus(sql: pg.Client, runId: string, notIn: readonly string[] = []): Promise<string> {
  return waitFor(async () => {
    const status = (await sql.query<{ status: string }>('SELECT status FROM runs WHERE id = $1', [runId])).rows[0]?.status;
    return status && SETTLED.has(status) && !notIn.includes(status) ? status : undefined;
  }, `run ${runId} to settle`);
}

/** Approves each pending approval of the run as an allowed approver who is not the requester. */
async function approveAll(probe: ProductProbe, runId: string, requesterId: string): Promise<void> {
  const pending = (await probe.sql.query<{ id: string; approver_ids: string[] }>(`SELECT id, approver_ids FROM approvals WHERE run_id = $1 AND status = 'pending'`, [runId])).rows;
  for (const approval of pending) {
    const approver = approval.approver_ids.find((id) => id !== requesterId);
    if (!approver) throw new Error(`approval ${approval.id} has no eligible approver`);
    const response = await fetch(`${probe.app.url}/api/web/approvals/${approval.id}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId: approver, decision: 'approve' }) });
    if (response.status !== 200) throw new Error(`approving ${approval.id} answered ${response.status}: ${await response.text()}`);
  }
}

/** One trial: the scenario's employee turns through the playground, then its end state checked. */
export async function productTrial(probe: ProductProbe, scenario: Scenario): Promise<EndStateVerdict> {
  const expected = scenario.endState;
  if (!expected) return { pass: false, detail: 'the scenario has no endState' };
  const userId = probe.people[scenario.persona];
  if (!userId) return { pass: false, detail: `unknown persona ${scenario.persona}` };
  const before = await snapshotRecords(probe.app);
  // The product writes its own replies in the thread; the scenario's assistant turns only stand for them.
  const threadId = `eval-${randomBytes(6).toString('hex')}`;
  const runIds: string[] = [];
  for (const [index, turn] of scenario.turns.entries()) {
    if (!('user' in turn)) continue;
    const response = await fetch(`${probe.app.url}/api/web/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId, threadId, clientMessageId: `${threadId}-${index}`, text: turn.user }) });
    if (response.status !== 202) return { pass: false, detail: `the playground answered ${response.status}: ${await response.text()}` };
    const { runId } = acceptedSchema.parse(await response.json());
    runIds.push(runId);
    if ((await settledStatus(probe.sql, runId)) === 'awaiting_approval' && expected.approve) {
      await approveAll(probe, runId, userId);
      await settledStatus(probe.sql, runId, ['awaiting_approval']);
    }
  }
  const approvals = Number((await probe.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM approvals WHERE run_id = ANY($1::uuid[])', [runIds])).rows[0]?.n ?? 0);
  const verdict = checkEndState(expected, before, await snapshotRecords(probe.app), approvals);
  if (verdict.pass) return verdict;
  // What the runs ended as, so a failure says whether the product refused, asked or failed a step.
  const runs = (await probe.sql.query<{ status: string; error: unknown }>('SELECT status, error FROM runs WHERE id = ANY($1::uuid[]) ORDER BY created_at', [runIds])).rows;
  return { pass: false, detail: `${verdict.detail} [runs: ${runs.map((r) => `${r.status}${r.error ? ` ${JSON.stringify(r.error)}` : ''}`).join(', ')}]` };
}
