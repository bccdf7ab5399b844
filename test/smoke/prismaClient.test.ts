import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../../src/generated/prisma/client.js';

test('the generated Prisma client loads under ESM jest and reaches PostgreSQL', async () => {
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres' }) });
  const rows = await prisma.$queryRaw<{ one: number }[]>`select 1 as one`;
  expect(rows[0]?.one).toBe(1);
  await prisma.$disconnect();
});
