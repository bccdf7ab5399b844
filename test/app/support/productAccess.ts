import pg from 'pg';
import { startProduct, type RunningProduct } from './product.js';

/** What a whole-product test reads besides HTTP: the product's database, and the demo people's ids. */
export interface ProductAccess {
  readonly sql: pg.Client;
  /** User ids by the local part of each demo person's email ("ada", "linus", ...). */
  readonly people: Record<string, string>;
}

/** Connects to the running product's database and asks the playground who the people are; end `sql` after the tests. */
export async function productAccess(product: RunningProduct): Promise<ProductAccess> {
  const body = (await (await fetch(`${product.url}/api/web/people`)).json()) as { people: { id: string; email: string }[] };
  const people = Object.fromEntries(body.people.map((p) => [p.email.split('@')[0]!, p.id]));
  const sql = new pg.Client({ connectionString: product.databaseUrl });
  await sql.connect();
  return { sql, people };
}

/** A product started for one test file, with its database and people; fields are set by beforeAll. */
export interface ProductUnderTest extends ProductAccess {
  readonly product: RunningProduct;
}

/** Starts the whole product before the file's tests (with `env` on top of the test defaults) and closes it after them. */
export function useProduct(options: { env?: Record<string, string>; timeoutMs?: number } = {}): ProductUnderTest {
  const state = {} as { product: RunningProduct; sql: pg.Client; people: Record<string, string> };
  beforeAll(async () => {
    state.product = await startProduct(options.env ? { env: options.env } : {});
    Object.assign(state, await productAccess(state.product));
  }, options.timeoutMs);
  afterAll(async () => {
    await state.sql?.end();
    await state.product?.close();
  });
  return state;
}
