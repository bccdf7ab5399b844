import { z } from 'zod';
import { defineTool } from '../../../src/tools/tool.js';
import { fit, plural, quoteData } from '../../shared/summary.js';
import type { ServiceNowClient } from '../client.js';
import { displayFieldSchema, resultList } from '../schemas.js';
import { clientFor, recordLink, type ServiceNowToolDeps } from './context.js';

const FIELDS = ['sys_id', 'number', 'request', 'cat_item', 'short_description', 'quantity', 'state', 'stage', 'approval', 'active', 'requested_for', 'opened_at', 'sys_updated_on'] as const;
const ritmSchema = z.object(Object.fromEntries(FIELDS.map((f) => [f, displayFieldSchema])) as Record<(typeof FIELDS)[number], typeof displayFieldSchema>);
type RitmRecord = z.infer<typeof ritmSchema>;
const QUERY = { sysparm_display_value: 'all', sysparm_exclude_reference_link: 'true', sysparm_fields: FIELDS.join(',') } as const;

const itemSchema = z.object({
  number: z.string().describe('Requested item number, RITM…'),
  request_number: z.string().describe('The request (REQ…) it belongs to'),
  item: z.string(),
  quantity: z.string(),
  state: z.string().describe('e.g. "Open", "Work in Progress", "Closed Complete"'),
  stage: z.string().describe('e.g. "Waiting for Approval", "Fulfillment", "Completed"'),
  approval: z.string(),
  active: z.boolean(),
  requested_for: z.string(),
  opened_at: z.string(),
  updated_at: z.string(),
  link: z.string(),
});
type Item = z.infer<typeof itemSchema>;

const input = z.object({
  number: z.string().trim().toUpperCase().regex(/^(REQ|RITM)\d{7,10}$/, 'a request number looks like REQ0010001 or RITM0010001').optional()
    .describe('A request (REQ…) or requested item (RITM…) number; without it, your own requested items'),
  state: z.enum(['open', 'all']).default('open').describe('"open" (default) for items still in progress, "all" to include closed ones'),
  limit: z.number().int().min(1).max(50).default(20).describe('Most items to return (1-50, default 20)'),
}).strict();

/**
 * "Where is my request": the requested items (sc_req_item) behind the employee's catalog orders,
 * with their state, stage and approval. Without a number only items requested for the employee are
 * listed; with one, ServiceNow's ACLs decide (IT staff may look up anyone's).
 */
export function listMyRequestsTool(deps: ServiceNowToolDeps) {
  return defineTool({
    name: 'list_my_requests',
    description: 'Show the status of the employee\'s ServiceNow catalog requests (requested items, RITM/REQ numbers): state, stage and approval.',
    input,
    output: z.object({ items: z.array(itemSchema), count: z.number().int() }),
    risk: 'read',
    idempotent: true,
    scopes: ['useraccount'],
    describe: (args) => (args.number ? `Look up ServiceNow request ${args.number}` : `List my ${args.state === 'all' ? '' : 'open '}ServiceNow requests`),
    summarize: (out, args) => {
      const first = out.items[0];
      if (!first) return fit(args.number ? `I found no request ${args.number} that you can see` : `You have no ${args.state === 'all' ? '' : 'open '}requests in ServiceNow`);
      const one = (i: Item): string => `${quoteData(i.number, 20)} (${quoteData(i.item, 40)}) is ${quoteData(i.state, 24)}, stage ${quoteData(i.stage, 30)}`;
      if (out.items.length === 1) return fit(`Request item ${one(first)}`, (room) => (room > 30 ? `, request ${quoteData(first.request_number, 20)}` : undefined));
      return fit(`${plural(out.count, 'requested item')}; latest: ${one(first)}`);
    },
    async execute(ctx, args) {
      const client = clientFor(ctx, deps);
      const active = args.state === 'all' ? '' : '^active=true';
      let filter: string | undefined;
      if (args.number?.startsWith('RITM')) filter = `number=${args.number}`;
      else if (args.number) {
        const request = await requestByNumber(client, args.number);
        if (!request) return { items: [], count: 0 };
        filter = `request=${request}`;
      } else filter = `requested_for=javascript:gs.getUserID()${active}`;
      const records = await client.paginate({
        method: 'GET',
        path: '/api/now/table/sc_req_item',
        query: { ...QUERY, sysparm_query: `${filter}^ORDERBYDESCsys_created_on`, sysparm_limit: args.limit },
        schema: resultList(ritmSchema),
      }, args.limit);
      const items = records.map((r) => normalize(r, client.baseUrl));
      return { items, count: items.length };
    },
  });
}

async function requestByNumber(client: ServiceNowClient, number: string): Promise<string | undefined> {
  const found = await client.request({
    method: 'GET',
    path: '/api/now/table/sc_request',
    query: { sysparm_query: `number=${number}`, sysparm_fields: 'sys_id', sysparm_limit: 1 },
    schema: resultList(z.object({ sys_id: z.string() })),
  });
  return found.data.result[0]?.sys_id;
}

function normalize(r: RitmRecord, baseUrl: string): Item {
  return {
    number: r.number.value, request_number: r.request.display_value, item: r.cat_item.display_value || r.short_description.display_value, quantity: r.quantity.value,
    state: r.state.display_value, stage: r.stage.display_value, approval: r.approval.display_value, active: r.active.value === 'true',
    requested_for: r.requested_for.display_value, opened_at: r.opened_at.value, updated_at: r.sys_updated_on.value, link: recordLink(baseUrl, 'sc_req_item', r.sys_id.value),
  };
}
