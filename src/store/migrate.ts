import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { PGlite } from '@electric-sql/pglite';
import { SwitchboardError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';

/** prisma/migrations relative to this file, both from src/ (tsx, jest) and dist/src/ (build). */
export function defaultMigrationsDir(): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const fromSrc = join(here, '..', '..', 'prisma', 'migrations');
  return here.includes(`${join('dist', 'src')}`) ? join(here, '..', '..', '..', 'prisma', 'migrations') : fromSrc;
}

export class MigrationChecksumError extends SwitchboardError {
  constructor(name: string) {
    super('migration_checksum_mismatch', `migration ${name} was changed after it was applied; add a new migration instead`);
  }
}

export class MigrationFailedError extends SwitchboardError {
  constructor(name: string, cause: unknown) {
    super('migration_failed', `migration ${name} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

export interface Migration {
  readonly name: string;
  readonly sql: string;
  readonly checksum: string;
}

export interface MigrateResult {
  readonly applied: string[];
  readonly alreadyApplied: string[];
}

/** Any of these can be migrated; a Pool lends one connection for the whole run so the lock holds. */
export type MigrationTarget = pg.Pool | pg.Client | PGlite;

/** One connection: simple-protocol scripts (multi-statement) and parameterised queries. */
interface Session {
  script(sql: string): Promise<void>;
  rows<T>(sql: string, params?: unknown[]): Promise<T[]>;
  release(): void;
}

// Stable arbitrary 64-bit key; advisory locks are per database, so distinct databases never contend.
const LOCK_KEY = '7351402937401128421';

export async function loadMigrations(dir: string = defaultMigrationsDir()): Promise<Migration[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  const migrations: Migration[] = [];
  for (const name of names) {
    const sql = await readFile(join(dir, name, 'migration.sql'), 'utf8').catch(() => undefined);
    if (sql === undefined) continue;
    migrations.push({ name, sql, checksum: createHash('sha256').update(sql).digest('hex') });
  }
  return migrations;
}

async function openSession(target: MigrationTarget): Promise<Session> {
  if (target instanceof pg.Pool) {
    const client = await target.connect();
    return pgSession(client, () => client.release());
  }
  if (target instanceof pg.Client) return pgSession(target, () => undefined);
  const db = target;
  return {
    script: async (sql) => { await db.exec(sql); },
    rows: async <T>(sql: string, params?: unknown[]) => (await db.query<T>(sql, params)).rows,
    release: () => undefined,
  };
}

function pgSession(client: pg.ClientBase, release: () => void): Session {
  return {
    script: async (sql) => { await client.query(sql); },
    rows: async <T>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as T[],
    release,
  };
}

/**
 * Applies pending migrations in name order, each in its own transaction, under a session advisory lock
 * so processes starting together serialize: the second sees everything applied and does nothing.
 */
export async function migrate(
  target: MigrationTarget,
  options: { dir?: string; migrations?: Migration[]; logger?: Logger } = {},
): Promise<MigrateResult> {
  const migrations = options.migrations ?? (await loadMigrations(options.dir));
  const session = await openSession(target);
  const applied: string[] = [];
  const alreadyApplied: string[] = [];
  try {
    await session.rows(`SELECT pg_advisory_lock(${LOCK_KEY})`);
    try {
      await session.script(`CREATE TABLE IF NOT EXISTS "_switchboard_migrations" (
        "name" TEXT PRIMARY KEY, "checksum" TEXT NOT NULL, "applied_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now())`);
      const rows = await session.rows<{ name: string; checksum: string }>(`SELECT name, checksum FROM "_switchboard_migrations"`);
      const done = new Map(rows.map((r) => [r.name, r.checksum]));
      // Check every applied checksum before touching anything, so a tampered history changes nothing.
      for (const m of migrations) {
        const previous = done.get(m.name);
        if (previous !== undefined && previous !== m.checksum) throw new MigrationChecksumError(m.name);
      }
      for (const m of migrations) {
        if (done.has(m.name)) { alreadyApplied.push(m.name); continue; }
        try {
          await session.script('BEGIN');
          await session.script(m.sql);
          await session.rows(`INSERT INTO "_switchboard_migrations" (name, checksum) VALUES ($1, $2)`, [m.name, m.checksum]);
          await session.script('COMMIT');
        } catch (error) {
          await session.script('ROLLBACK').catch(() => undefined);
          throw new MigrationFailedError(m.name, error);
        }
        applied.push(m.name);
        options.logger?.info({ migration: m.name }, 'migration applied');
      }
    } finally {
      await session.rows(`SELECT pg_advisory_unlock(${LOCK_KEY})`).catch(() => undefined);
    }
  } finally {
    session.release();
  }
  return { applied, alreadyApplied };
}
