import { defineConfig } from 'prisma/config';

// Only `prisma generate` is used; migrations are plain SQL applied by src/store/migrate.ts.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost:5432/switchboard' },
});
