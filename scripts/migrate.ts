import pg from 'pg';
import { z } from 'zod';
import { createLogger } from '../src/core/logger.js';
import { migrate } from '../src/store/migrate.js';

const env = z.object({ DATABASE_URL: z.string().url() }).safeParse(process.env);
if (!env.success) {
  console.error('DATABASE_URL must be set to a postgres:// URL to run migrations.');
  process.exit(1);
}
const logger = createLogger({ level: 'info' });
const pool = new pg.Pool({ connectionString: env.data.DATABASE_URL, max: 1 });
try {
  const result = await migrate(pool, { logger });
  logger.info({ applied: result.applied, alreadyApplied: result.alreadyApplied.length }, 'migrations complete');
} catch (error) {
  logger.error({ err: error instanceof Error ? error.message : String(error) }, 'migration failed');
  process.exitCode = 1;
} finally {
  await pool.end();
}
