import { mkdir } from 'node:fs/promises';
import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { PrismaClient } from '../generated/prisma/client.js';
import type { Logger } from '../core/logger.js';
import { migrate as runMigrations } from './migrate.js';

export interface Database {
  readonly prisma: PrismaClient;
  readonly pool: pg.Pool;
  readonly kind: 'postgres' | 'embedded';
  readonly url: string;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** postgres:// URL; without it an embedded PGlite database is started. */
  url?: string;
  /** PGlite data directory; omitted means in-memory (gone on close). */
  embeddedDir?: string;
  logger: Logger;
  poolMax?: number;
  /** Apply pending migrations on open (default true). */
  migrate?: boolean;
  migrationsDir?: string;
}

/**
 * One Database shape for both real Postgres and embedded PGlite: PGlite is exposed on a loopback port
 * so pg, Prisma and raw SQL take exactly the same path in development and production.
 */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  const shouldMigrate = options.migrate ?? true;
  if (options.url !== undefined) {
    const pool = new pg.Pool({ connectionString: options.url, max: options.poolMax ?? 10 });
    pool.on('error', (error) => options.logger.warn({ err: error.message }, 'idle postgres connection failed'));
    try {
      if (shouldMigrate) await runMigrations(pool, { dir: options.migrationsDir, logger: options.logger });
    } catch (error) {
      await pool.end();
      throw error;
    }
    const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
    return {
      prisma, pool, kind: 'postgres', url: options.url,
      close: async () => { await prisma.$disconnect(); await pool.end(); },
    };
  }

  if (options.embeddedDir !== undefined) await mkdir(options.embeddedDir, { recursive: true });
  const lite = new PGlite(options.embeddedDir);
  await lite.waitReady;
  const server = new PGLiteSocketServer({ db: lite, host: '127.0.0.1', port: 0, maxConnections: 4 });
  await server.start();
  const url = `postgresql://postgres@${server.getServerConn()}/postgres?sslmode=disable`;
  // PGlite runs one query at a time; a single pooled connection keeps transactions intact.
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  pool.on('error', (error) => options.logger.warn({ err: error.message }, 'embedded database connection failed'));
  const shutdown = async (): Promise<void> => {
    await pool.end().catch(() => undefined);
    await server.stop();
    await lite.close();
  };
  try {
    // Straight on PGlite: no socket round trips, and it exercises the runner's PGlite path.
    if (shouldMigrate) await runMigrations(lite, { dir: options.migrationsDir, logger: options.logger });
  } catch (error) {
    await shutdown();
    throw error;
  }
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  options.logger.info({ dir: options.embeddedDir ?? 'memory' }, 'embedded database started');
  return {
    prisma, pool, kind: 'embedded', url,
    close: async () => { await prisma.$disconnect(); await shutdown(); },
  };
}
