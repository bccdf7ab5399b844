import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createLogger, type Logger } from '../../src/core/logger.js';
import { openDatabase, type Database } from '../../src/store/database.js';

// The password is the one scripts/test-services.sh sets (ignored where pg_hba says trust).
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres:postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  readonly url: string;
  readonly db: Database;
  drop(): Promise<void>;
}

function withDatabase(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Creates an empty database with a unique name on the test server; without migrate it stays empty. */
export async function createEmptyTestDatabase(): Promise<{ url: string; name: string; drop(): Promise<void> }> {
  const name = `sb_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  return {
    url: withDatabase(TEST_DATABASE_URL, name),
    name,
    drop: async () => {
      const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** A uniquely named, migrated database; drop() closes the connections and removes it. */
export async function createTestDatabase(options: { logger?: Logger; poolMax?: number } = {}): Promise<TestDatabase> {
  const empty = await createEmptyTestDatabase();
  const logger = options.logger ?? createLogger({ level: 'silent' });
  let db: Database;
  try {
    db = await openDatabase({ url: empty.url, logger, poolMax: options.poolMax ?? 5 });
  } catch (error) {
    await empty.drop();
    throw error;
  }
  return {
    url: empty.url,
    db,
    drop: async () => {
      await db.close();
      await empty.drop();
    },
  };
}
