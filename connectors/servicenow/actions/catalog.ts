import { z } from 'zod';
import { defineTool } from '../../../src/tools/tool.js';
import type { ServiceNowClient } from '../client.js';
import { ServiceNowLookupError } from '../errors.js';
import { catalogItemDetailSchema, catalogItemSchema, resultList, resultOne, type CatalogItem } from '../schemas.js';
import { clientFor, encodedQuerySafe, type ServiceNowToolDeps } from './context.js';

const CATALOG = '/api/sn_sc/servicecatalog/items';

export const catalogItemOutputSchema = z.object({
  sys_id: z.string(),
  name: z.string(),
  short_description: z.string(),
  category: z.string().nullable(),
  price: z.string(),
});
export type CatalogItemOutput = z.infer<typeof catalogItemOutputSchema>;

export function normalizeCatalogItem(item: CatalogItem): CatalogItemOutput {
  return { sys_id: item.sys_id, name: item.name, short_description: item.short_description, category: 'title' in item.category ? item.category.title : null, price: item.price };
}

export async function searchCatalog(client: ServiceNowClient, text: string, limit: number): Promise<CatalogItem[]> {
  const found = await client.request({ method: 'GET', path: CATALOG, query: { sysparm_text: text, sysparm_limit: limit }, schema: resultList(catalogItemSchema) });
  return found.data.result;
}

/** An item by sys_id, or by exact (case-insensitive) name among what the employee may order. */
export async function resolveCatalogItem(client: ServiceNowClient, item: string): Promise<CatalogItem> {
  if (/^[0-9a-f]{32}$/.test(item)) {
    const detail = await client.request({ method: 'GET', path: `${CATALOG}/${item}`, schema: resultOne(catalogItemDetailSchema) });
    return detail.data.result;
  }
  const candidates = await searchCatalog(client, item, 20);
  const exact = candidates.filter((c) => c.name.toLowerCase() === item.trim().toLowerCase());
  if (exact.length === 1 && exact[0]) return exact[0];
  if (exact.length > 1) throw new ServiceNowLookupError('catalog_item', item, exact.map((c) => `${c.name} (${c.sys_id})`), true);
  throw new ServiceNowLookupError('catalog_item', item, candidates.map((c) => c.name));
}

export function searchCatalogTool(deps: ServiceNowToolDeps) {
  return defineTool({
    name: 'search_catalog',
    description: 'Search the ServiceNow service catalog for items the employee can order (laptops, VPN access, software).',
    input: z.object({
      query: z.string().trim().min(1).max(100).refine(encodedQuerySafe, 'must not contain "^"').describe('Words to search for, e.g. "laptop" or "vpn"'),
      limit: z.number().int().min(1).max(50).default(10).describe('Most items to return (default 10)'),
    }).strict(),
    output: z.object({ items: z.array(catalogItemOutputSchema), count: z.number().int() }),
    risk: 'read',
    idempotent: true,
    scopes: ['useraccount'],
    describe: (args) => `Search the ServiceNow catalog for "${args.query}"`,
    async execute(ctx, args) {
      const items = (await searchCatalog(clientFor(ctx, deps), args.query, args.limit)).map(normalizeCatalogItem);
      return { items, count: items.length };
    },
  });
}
