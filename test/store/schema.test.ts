import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { createLogger } from '../../src/core/logger.js';
import { loadMigrations, migrate, MigrationChecksumError } from '../../src/store/migrate.js';
import { openDatabase } from '../../src/store/database.js';
import { Prisma, type PrismaClient } from '../../src/generated/prisma/client.js';
import { createEmptyTestDatabase, createTestDatabase, type TestDatabase } from '../support/database.js';

const logger = createLogger({ level: 'silent' });

describe('migration runner', () => {
  let empty: Awaited<ReturnType<typeof createEmptyTestDatabase>>;
  beforeAll(async () => { empty = await createEmptyTestDatabase(); });
  afterAll(async () => { await empty.drop(); });

  test('concurrent runners apply each migration exactly once, later runs are no-ops', async () => {
    const pools = [0, 1, 2].map(() => new pg.Pool({ connectionString: empty.url, max: 1 }));
    try {
      const results = await Promise.all(pools.map((pool) => migrate(pool, { logger })));
      const all = await loadMigrations();
      expect(all.length).toBeGreaterThan(0);
      const appliedCounts = results.map((r) => r.applied.length).sort();
      expect(appliedCounts).toEqual([0, 0, all.length]);
      const rows = (await pools[0]!.query('SELECT name, checksum FROM "_switchboard_migrations" ORDER BY name')).rows;
      expect(rows).toEqual(all.map((m) => ({ name: m.name, checksum: m.checksum })));
      const again = await migrate(pools[1]!, { logger });
      expect(again.applied).toEqual([]);
      expect(again.alreadyApplied).toEqual(all.map((m) => m.name));
    } finally {
      await Promise.all(pools.map((p) => p.end()));
    }
  });

  test('a migration whose text changed after being applied is refused and nothing runs', async () => {
    const client = new pg.Client({ connectionString: empty.url });
    await client.connect();
    try {
      const [first, ...rest] = await loadMigrations();
      const tampered = { ...first!, sql: `${first!.sql}\n-- edited`, checksum: 'different' };
      const extra = { name: '99990101000000_extra', sql: 'CREATE TABLE "never_created" (id int)', checksum: 'x' };
      await expect(migrate(client, { migrations: [tampered, ...rest, extra], logger })).rejects.toBeInstanceOf(MigrationChecksumError);
      const exists = await client.query(`SELECT to_regclass('never_created') AS t`);
      expect(exists.rows[0].t).toBeNull();
    } finally {
      await client.end();
    }
  });
});

const uuid = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const at = (s: number): Date => new Date(Date.UTC(2026, 10, 22, 9, 0, s, 123));
const bytes = (...b: number[]): Uint8Array<ArrayBuffer> => new Uint8Array(b);

/** Writes one fully populated row of every model through Prisma and reads it back field for field. */
async function roundTripEveryModel(prisma: PrismaClient): Promise<void> {
  const t = 'acme';
  const cases: Array<[string, Record<string, unknown>, () => Promise<unknown>]> = [];
  const check = <T extends Record<string, unknown>>(name: string, data: T, write: (d: T) => Promise<unknown>, read: () => Promise<unknown>): void => {
    cases.push([name, data, async () => { await write(data); return read(); }]);
  };
  check('tenant', { id: t, name: 'Acme', config: { nested: { list: [1, 'two', null, true] } }, createdAt: at(1), updatedAt: at(2) },
    (data) => prisma.tenant.create({ data }), () => prisma.tenant.findUnique({ where: { id: t } }));
  check('user', { id: uuid(1), tenantId: t, email: 'ada@acme.test', displayName: 'Ada', roles: ['employee', 'approver'], managerId: uuid(2), deactivatedAt: at(20), createdAt: at(3),
    source: 'scim', scimUserName: 'ada@acme.test', externalId: 'ext-1', scim: { name: { givenName: 'Ada' } }, scimDeletedAt: at(21), approverGroups: ['it-admins'] },
    (data) => prisma.user.create({ data }), () => prisma.user.findUnique({ where: { id: uuid(1) } }));
  check('platformIdentity', { id: uuid(3), tenantId: t, userId: uuid(1), platform: 'slack', teamId: 'T1', externalId: 'U1', address: { channel: 'D1' }, createdAt: at(4), updatedAt: at(5) },
    (data) => prisma.platformIdentity.create({ data }), () => prisma.platformIdentity.findUnique({ where: { id: uuid(3) } }));
  check('channelInstallation', { id: uuid(4), tenantId: t, platform: 'slack', teamId: 'T1', enterpriseId: 'E1', ciphertext: bytes(0, 1, 254, 255), keyId: 'k1', createdAt: at(6), updatedAt: at(7) },
    (data) => prisma.channelInstallation.create({ data }), () => prisma.channelInstallation.findUnique({ where: { id: uuid(4) } }));
  check('connectorAccount', { id: uuid(5), tenantId: t, userId: uuid(1), connectorId: 'jira', kind: 'jira', externalUserId: 'acc-1', ciphertext: bytes(9, 8, 7), keyId: 'k1', scopes: ['read', 'write'], expiresAt: at(8), status: 'active', version: 3, createdAt: at(9), updatedAt: at(10) },
    (data) => prisma.connectorAccount.create({ data }), () => prisma.connectorAccount.findUnique({ where: { id: uuid(5) } }));
  check('oauthState', { id: 'acme.state', tenantId: t, userId: uuid(1), connectorId: 'jira', runId: uuid(6), ciphertext: bytes(1), keyId: 'k1', expiresAt: at(11), consumedAt: at(12), browserHash: 'b'.repeat(64), openedAt: at(14), createdAt: at(13) },
    (data) => prisma.oAuthState.create({ data }), () => prisma.oAuthState.findUnique({ where: { id: 'acme.state' } }));
  check('conversation', { id: uuid(7), tenantId: t, channel: 'slack', externalId: 'C1:1.2', address: { channel: 'C1', thread: '1.2' }, createdAt: at(14), updatedAt: at(15) },
    (data) => prisma.conversation.create({ data }), () => prisma.conversation.findUnique({ where: { id: uuid(7) } }));
  check('message', { id: uuid(8), tenantId: t, conversationId: uuid(7), runId: uuid(6), role: 'user', content: 'reset my password', tokens: 5, createdAt: at(16) },
    (data) => prisma.message.create({ data }), () => prisma.message.findUnique({ where: { id: uuid(8) } }));
  check('userFact', { id: uuid(9), tenantId: t, userId: uuid(1), key: 'jira.project', value: 'NET', createdAt: at(17), updatedAt: at(18) },
    (data) => prisma.userFact.create({ data }), () => prisma.userFact.findUnique({ where: { id: uuid(9) } }));
  check('run', {
    id: uuid(6), tenantId: t, conversationId: uuid(7), userId: uuid(1), channel: 'slack', deliveryId: 'Ev1', status: 'running', input: 'hi', reply: { to: 'C1' },
    plan: { steps: [] }, planVersion: 2, iteration: 3, routing: { tier: 'fast' }, caps: { steps: 10 }, stepsUsed: 1, tokensUsed: 100, costMicros: 9_007_199_254_740_993n,
    answer: 'done', error: { code: 'x' }, eventSeq: 4, attempts: 1, version: 5, deadlineAt: at(19), startedAt: at(20), finishedAt: at(21), createdAt: at(22), updatedAt: at(23),
    untrustedContext: true, activeMs: 4_500, fence: 3, traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  }, (data) => prisma.run.create({ data }), () => prisma.run.findUnique({ where: { id: uuid(6) } }));
  check('runEvent', { id: 42n, tenantId: t, runId: uuid(6), seq: 1, type: 'run.started', payload: { a: 1 }, createdAt: at(24) },
    (data) => prisma.runEventRecord.create({ data }), () => prisma.runEventRecord.findUnique({ where: { id: 42n } }));
  check('step', { id: uuid(10), tenantId: t, runId: uuid(6), planVersion: 2, key: 's1', tool: 'jira_create_issue', title: 'File bug', args: { project: 'NET' }, dependsOn: ['s0'], status: 'done', output: { key: 'NET-1' }, error: { code: 'e' }, startedAt: at(25), finishedAt: at(26), createdAt: at(27), updatedAt: at(28) },
    (data) => prisma.step.create({ data }), () => prisma.step.findUnique({ where: { id: uuid(10) } }));
  check('toolCall', { id: uuid(11), tenantId: t, runId: uuid(6), stepId: uuid(10), tool: 'jira_create_issue', connectorId: 'jira', actingUserId: uuid(1), actingIdentity: 'user:acc-1', idempotencyKey: 'idem-1', idempotent: false, risk: 'write', args: { a: 1 }, status: 'succeeded', attempts: 2, result: { ok: true }, error: { code: 'none' }, durationMs: 120, fence: 2, startedAt: at(29), finishedAt: at(30) },
    (data) => prisma.toolCall.create({ data }), () => prisma.toolCall.findUnique({ where: { id: uuid(11) } }));
  check('approval', { id: uuid(12), tenantId: t, runId: uuid(6), stepId: uuid(10), tool: 'okta_reset_my_password', action: 'Reset password', args: {}, argsHash: 'h', risk: 'high', reason: 'policy', requesterId: uuid(1), approverIds: [uuid(2)], status: 'approved', decidedById: uuid(2), decidedAt: at(31), comment: 'ok', view: { headline: 'Reset password', fields: [{ label: 'Group', value: 'VPN' }] }, expiresAt: at(32), createdAt: at(33), remindedAt: at(34), escalatedAt: at(35) },
    (data) => prisma.approval.create({ data }), () => prisma.approval.findUnique({ where: { id: uuid(12) } }));
  check('usageLedger', { id: uuid(13), tenantId: t, userId: uuid(1), runId: uuid(6), kind: 'llm', tier: 'fast', model: 'gpt-5-nano', inputTokens: 10, cachedInputTokens: 2, outputTokens: 3, costMicros: 1234n, day: new Date(Date.UTC(2026, 10, 22)), createdAt: at(34) },
    (data) => prisma.usageLedger.create({ data }), () => prisma.usageLedger.findUnique({ where: { id: uuid(13) } }));
  check('auditLog', { id: 7n, tenantId: t, actorUserId: uuid(1), action: 'linked', targetType: 'connector_account', targetId: 'jira', data: { k: 'v' }, createdAt: at(35) },
    (data) => prisma.auditLog.create({ data }), () => prisma.auditLog.findUnique({ where: { id: 7n } }));
  check('scimGroup', { id: uuid(15), tenantId: t, displayName: 'IT Admins', externalId: 'g-1', createdAt: at(38), updatedAt: at(39) },
    (data) => prisma.scimGroup.create({ data }), () => prisma.scimGroup.findUnique({ where: { id: uuid(15) } }));
  check('scimGroupMember', { id: uuid(16), tenantId: t, groupId: uuid(15), userId: uuid(1) },
    (data) => prisma.scimGroupMember.create({ data }), () => prisma.scimGroupMember.findUnique({ where: { id: uuid(16) } }));
  check('deadLetter', { id: uuid(14), tenantId: t, runId: uuid(6), reason: 'crashed', error: { code: 'boom' }, attempts: 5, createdAt: at(36), replayedAt: at(37) },
    (data) => prisma.deadLetter.create({ data }), () => prisma.deadLetter.findUnique({ where: { id: uuid(14) } }));
  check('approvalDelegation', { id: uuid(40), tenantId: t, approverId: uuid(2), delegateId: uuid(1), startsAt: at(40), endsAt: at(41), createdAt: at(42) },
    (data) => prisma.approvalDelegation.create({ data }), () => prisma.approvalDelegation.findUnique({ where: { id: uuid(40) } }));

  // A model added to the schema without a case here fails this line.
  expect(cases).toHaveLength(Object.keys(Prisma.ModelName).length);
  for (const [name, data, run] of cases) {
    const back = await run();
    expect({ name, row: back }).toEqual({ name, row: data });
  }
}

interface SchemaColumn { table: string; column: string; udt: string; nullable: boolean }

/** Reads prisma/schema.prisma itself: every scalar field → expected Postgres column type and nullability. */
async function readPrismaSchema(): Promise<string> {
  return readFile(fileURLToPath(new URL('../../prisma/schema.prisma', import.meta.url)), 'utf8');
}

/** Index names Prisma would give every @@unique / @@index / @id, as `name(col,col)`. */
async function indexesFromPrismaSchema(): Promise<string[]> {
  const text = await readPrismaSchema();
  const names: string[] = [];
  for (const [, body] of text.matchAll(/^model \w+ \{([\s\S]*?)^\}/gm)) {
    const table = /@@map\("([^"]+)"\)/.exec(body!)![1]!;
    const columnOf = new Map<string, string>();
    for (const line of body!.split('\n').map((l) => l.trim())) {
      const field = /^(\w+)\s+\w+/.exec(line);
      if (!field || line.startsWith('@@') || line.startsWith('//')) continue;
      columnOf.set(field[1]!, /@map\("([^"]+)"\)/.exec(line)?.[1] ?? field[1]!);
      if (/\s@id\b/.test(line)) names.push(`${table}_pkey(${columnOf.get(field[1]!)})`);
    }
    for (const [, kind, list] of body!.matchAll(/@@(unique|index)\(\[([^\]]+)\](?:,[^)]*)?\)/g)) {
      const cols = list!.split(',').map((f) => columnOf.get(f.trim())!);
      names.push(`${table}_${cols.join('_')}_${kind === 'unique' ? 'key' : 'idx'}(${cols.join(',')})`);
    }
  }
  return names.sort();
}

async function columnsFromPrismaSchema(): Promise<SchemaColumn[]> {
  const text = await readPrismaSchema();
  const columns: SchemaColumn[] = [];
  for (const [, body] of text.matchAll(/^model \w+ \{([\s\S]*?)^\}/gm)) {
    const table = /@@map\("([^"]+)"\)/.exec(body!)![1]!;
    for (const line of body!.split('\n').map((l) => l.trim())) {
      const field = /^(\w+)\s+(\w+)(\[\])?(\?)?(.*)$/.exec(line);
      if (!field || line.startsWith('//') || line.startsWith('@@')) continue;
      const [, name, type, list, optional, attrs] = field;
      const db = /@db\.(\w+)/.exec(attrs!)?.[1];
      const base = db === 'Uuid' ? 'uuid' : db === 'Date' ? 'date' : db === 'Timestamptz' ? 'timestamptz'
        : ({ String: 'text', Int: 'int4', BigInt: 'int8', Boolean: 'bool', Json: 'jsonb', Bytes: 'bytea', DateTime: 'timestamp' } as Record<string, string>)[type!]!;
      columns.push({ table, column: /@map\("([^"]+)"\)/.exec(attrs!)?.[1] ?? name!, udt: list ? `_${base}` : base, nullable: Boolean(optional) || Boolean(list) });
    }
  }
  return columns.sort((a, b) => `${a.table}.${a.column}`.localeCompare(`${b.table}.${b.column}`));
}

describe('schema and migration agree', () => {
  let t: TestDatabase;
  beforeAll(async () => { t = await createTestDatabase(); });
  afterAll(async () => { await t.drop(); });

  test('every model round-trips through Prisma with all columns (arrays, Json, Bytes, BigInt)', async () => {
    await roundTripEveryModel(t.db.prisma);
  });

  test('every column in schema.prisma exists with the same type and nullability, and no other column does', async () => {
    const expected = await columnsFromPrismaSchema();
    expect(expected.length).toBeGreaterThan(150);
    const actual = (await t.db.pool.query(`SELECT table_name, column_name, udt_name, is_nullable FROM information_schema.columns
      WHERE table_schema = 'public' AND table_name <> '_switchboard_migrations'`)).rows
      .map((r) => ({ table: r.table_name as string, column: r.column_name as string, udt: r.udt_name as string, nullable: r.is_nullable === 'YES' }))
      .sort((a, b) => `${a.table}.${a.column}`.localeCompare(`${b.table}.${b.column}`));
    expect(actual).toEqual(expected);
  });

  test('database defaults let raw SQL inserts work (uuid, updated_at, arrays, json)', async () => {
    const row = (await t.db.pool.query(`INSERT INTO users (tenant_id, email, display_name) VALUES ('raw', 'r@x', 'R') RETURNING id, roles, created_at`)).rows[0];
    expect(row.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(row.roles).toEqual([]);
    const conv = (await t.db.pool.query(`INSERT INTO conversations (tenant_id, channel, external_id, address) VALUES ('raw', 'web', 'x', '{}') RETURNING updated_at`)).rows[0];
    expect(conv.updated_at).toBeInstanceOf(Date);
    const audit = (await t.db.pool.query(`INSERT INTO audit_log (tenant_id, action, target_type, target_id) VALUES ('raw', 'a', 't', 'i') RETURNING data`)).rows[0];
    expect(audit.data).toEqual({});
  });

  test('every @id, @@unique and @@index exists under the name Prisma gives it on the same columns, and nothing else', async () => {
    const rows = (await t.db.pool.query(`SELECT i.relname AS name, ix.indisunique AS uniq,
        array_to_string(array(SELECT a.attname FROM unnest(ix.indkey) WITH ORDINALITY k(attnum, ord)
          JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.attnum ORDER BY k.ord), ',') AS cols
      FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid JOIN pg_class tb ON tb.oid = ix.indrelid
      JOIN pg_namespace n ON n.oid = tb.relnamespace WHERE n.nspname = 'public' AND tb.relname <> '_switchboard_migrations'`)).rows;
    const actual = rows.map((r) => `${r.name}(${r.cols})`).sort();
    expect(actual).toEqual(await indexesFromPrismaSchema());
    for (const r of rows) expect(r.uniq).toBe(!(r.name as string).endsWith('_idx'));
    await t.db.prisma.user.create({ data: { tenantId: 'uniq', email: 'u@acme.test', displayName: 'Once' } });
    await expect(t.db.prisma.user.create({ data: { tenantId: 'uniq', email: 'u@acme.test', displayName: 'Again' } })).rejects.toMatchObject({ code: 'P2002' });
  });
});

describe('embedded PGlite', () => {
  test('openDatabase without a url migrates PGlite and serves it to pg and Prisma over a loopback port', async () => {
    const db = await openDatabase({ logger });
    try {
      expect(db.kind).toBe('embedded');
      expect(db.url).toMatch(/^postgresql:\/\/postgres@127\.0\.0\.1:\d+\//);
      const tables = await db.pool.query(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public'`);
      expect(tables.rows[0].n).toBe(Object.keys(Prisma.ModelName).length + 1);
      await roundTripEveryModel(db.prisma);
      await db.prisma.$transaction(async (tx) => {
        await tx.auditLog.create({ data: { tenantId: 'acme', action: 'x', targetType: 't', targetId: '1' } });
      });
      expect(await db.prisma.auditLog.count({ where: { tenantId: 'acme' } })).toBe(2);
      const lite = new PGlite();
      try {
        // The runner on a bare PGlite instance: applies once, then is a no-op.
        expect((await migrate(lite, { logger })).applied.length).toBeGreaterThan(0);
        expect((await migrate(lite, { logger })).applied).toEqual([]);
      } finally {
        await lite.close();
      }
    } finally {
      await db.close();
    }
    // Two PGlite instances initialise and migrate here (WASM, single-threaded): ~15 s alone, several
    // times that on a busy 2-core CI machine. No timing is asserted.
  }, 180_000);
});
