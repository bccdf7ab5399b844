import { z } from 'zod';
import { defineTool, type ToolContext } from '../../../src/tools/tool.js';
import { quoteData, sentence } from '../../shared/summary.js';
import type { ServiceNowClient } from '../client.js';
import { ServiceNowResponseError, ServiceNowUnverifiedWriteError } from '../errors.js';
import { orderNowResultSchema, REQ_ITEM_FIELDS, reqItemRecordSchema, resultList, resultOne, type ReqItemRecord } from '../schemas.js';
import { resolveCatalogItem } from './catalog.js';
import { clientFor, journalRef, recordLink, requester, withRef, type Requester, type ServiceNowToolDeps } from './context.js';
import { journalByRef, type JournalEntry } from './journal.js';

const input = z.object({
  item: z.string().trim().min(1).max(100).describe('Catalog item sys_id or its exact name, e.g. "Standard Laptop"'),
  quantity: z.number().int().min(1).max(10).default(1).describe('How many (default 1)'),
  variables: z.record(z.string(), z.string()).default({}).describe('Item variables by name, e.g. {"operating_system":"macOS"}'),
}).strict();

const output = z.object({
  request_number: z.string(),
  request_sys_id: z.string(),
  item_number: z.string(),
  item: z.string(),
  quantity: z.number().int(),
  state: z.string(),
  link: z.string(),
});
type Output = z.infer<typeof output>;

const RITM_QUERY = { sysparm_display_value: 'all', sysparm_exclude_reference_link: 'true', sysparm_fields: REQ_ITEM_FIELDS.join(',') } as const;
/** How far back an unmarked order of the same item counts as possibly ours. */
const UNMARKED_WINDOW_MINUTES = 10;
const MARKER_TEXT = 'sent via Switchboard';

/**
 * Orders through `order_now` for the requester. The Service Catalog API has no dedupe field, so the
 * resulting request item gets a comment carrying the idempotency ref; retries and reconcile look for
 * it. An order of the same item without any Switchboard marker, placed minutes ago, is treated as
 * possibly ours: never ordered again, reported instead.
 */
export function orderCatalogItemTool(deps: ServiceNowToolDeps) {
  return defineTool({
    name: 'order_catalog_item',
    description: 'Order a ServiceNow service catalog item for the requesting employee.',
    input,
    output,
    risk: 'write',
    idempotent: false,
    scopes: ['useraccount'],
    describe: (args) => `Order ${args.quantity > 1 ? `${args.quantity} x ` : ''}"${args.item}" from the ServiceNow catalog`,
    summarize: (out) => sentence(`Ordered ${out.quantity > 1 ? `${out.quantity} × ` : ''}${quoteData(out.item, 50)} as request ${quoteData(out.request_number, 20)} (item ${quoteData(out.item_number, 20)}, now ${quoteData(out.state, 24)})`),
    async execute(ctx, args) {
      const client = clientFor(ctx, deps);
      const me = await requester(ctx, client);
      const item = await resolveCatalogItem(client, args.item);
      const ref = journalRef(ctx.idempotencyKey);
      let attempts = 0;
      const ritm = await client.guardedWrite(() => findOrdered(client, me, ref), async () => {
        attempts += 1;
        if (attempts > 1 && (await unmarkedOrders(client, me, item.sys_id)).length > 0) throw new ServiceNowUnverifiedWriteError(`ordered "${item.name}"`);
        const order = await client.request({
          method: 'POST',
          path: `/api/sn_sc/servicecatalog/items/${item.sys_id}/order_now`,
          body: { sysparm_quantity: args.quantity, sysparm_requested_for: me.sysId, variables: args.variables },
          schema: resultOne(orderNowResultSchema),
        });
        const created = await itemsOfRequest(client, order.data.result.request_id);
        const first = created[0];
        if (!first) throw new ServiceNowResponseError('order', `request ${order.data.result.request_number} has no request item`);
        await mark(ctx, client, me, first.sys_id.value, ref);
        return first;
      });
      return toOutput(client, ritm);
    },
    async reconcile(ctx, args) {
      const client = clientFor(ctx, deps);
      const me = await requester(ctx, client);
      const found = await findOrdered(client, me, journalRef(ctx.idempotencyKey));
      if (found) return { status: 'applied', output: toOutput(client, found) };
      const item = await resolveCatalogItem(client, args.item);
      return (await unmarkedOrders(client, me, item.sys_id)).length > 0 ? { status: 'unknown' } : { status: 'not_applied' };
    },
  });
}

function toOutput(client: ServiceNowClient, ritm: ReqItemRecord): Output {
  return {
    request_number: ritm.request.display_value,
    request_sys_id: ritm.request.value,
    item_number: ritm.number.value,
    item: ritm.cat_item.display_value,
    quantity: Number(ritm.quantity.value),
    state: ritm.state.display_value,
    link: recordLink(client.baseUrl, 'sc_req_item', ritm.sys_id.value),
  };
}

async function itemsOfRequest(client: ServiceNowClient, requestId: string): Promise<ReqItemRecord[]> {
  const found = await client.request({ method: 'GET', path: '/api/now/table/sc_req_item', query: { ...RITM_QUERY, sysparm_query: `request=${requestId}^ORDERBYnumber` }, schema: resultList(reqItemRecordSchema) });
  return found.data.result;
}

async function reqItem(client: ServiceNowClient, sysId: string): Promise<ReqItemRecord> {
  const found = await client.request({ method: 'GET', path: `/api/now/table/sc_req_item/${sysId}`, query: RITM_QUERY, schema: resultOne(reqItemRecordSchema) });
  return found.data.result;
}

async function findOrdered(client: ServiceNowClient, me: Requester, ref: string): Promise<ReqItemRecord | undefined> {
  const entry = await journalByRef(client, { table: 'sc_req_item', ref, userName: me.userName });
  return entry ? reqItem(client, entry.element_id) : undefined;
}

/** Puts the idempotency ref on the request item; guarded so a retried PATCH never comments twice. */
async function mark(ctx: ToolContext, client: ServiceNowClient, me: Requester, ritmId: string, ref: string): Promise<JournalEntry | ReqItemRecord> {
  const text = withRef(`Ordered by ${ctx.user.displayName} through Switchboard.`, ref);
  return client.guardedWrite<JournalEntry | ReqItemRecord>(
    () => journalByRef(client, { table: 'sc_req_item', elementId: ritmId, ref, userName: me.userName }),
    async () => (await client.request({ method: 'PATCH', path: `/api/now/table/sc_req_item/${ritmId}`, query: RITM_QUERY, body: { comments: text }, schema: resultOne(reqItemRecordSchema) })).data.result,
  );
}

/** Recent orders of this item for me that carry no Switchboard marker at all. */
async function unmarkedOrders(client: ServiceNowClient, me: Requester, itemId: string): Promise<string[]> {
  const recent = await client.request({
    method: 'GET',
    path: '/api/now/table/sc_req_item',
    query: { sysparm_query: `cat_item=${itemId}^requested_for=${me.sysId}^sys_created_on>=javascript:gs.minutesAgoStart(${UNMARKED_WINDOW_MINUTES})`, sysparm_fields: 'sys_id', sysparm_limit: 50 },
    schema: resultList(z.object({ sys_id: z.string() })),
  });
  const ids = recent.data.result.map((r) => r.sys_id);
  if (ids.length === 0) return [];
  const marked = await client.request({
    method: 'GET',
    path: '/api/now/table/sys_journal_field',
    query: { sysparm_query: `name=sc_req_item^element=comments^valueLIKE${MARKER_TEXT}^element_idIN${ids.join(',')}`, sysparm_fields: 'element_id', sysparm_limit: 200 },
    schema: resultList(z.object({ element_id: z.string() })),
  });
  const markedIds = new Set(marked.data.result.map((m) => m.element_id));
  return ids.filter((id) => !markedIds.has(id));
}
