import { z } from 'zod';
import { defineTool } from '../../../src/tools/tool.js';
import { fit, quoteData, quotedIn } from '../../shared/summary.js';
import { incidentRecordSchema, resultList } from '../schemas.js';
import { clientFor, withoutRef, type ServiceNowToolDeps } from './context.js';
import { INCIDENT_QUERY, incidentByNumber, incidentNumberSchema, incidentOutputSchema, normalizeIncident } from './incidents.js';
import { recentComments } from './journal.js';

const PAGE_SIZE = 50;

export function listMyIncidentsTool(deps: ServiceNowToolDeps) {
  return defineTool({
    name: 'list_my_incidents',
    description: 'List ServiceNow incidents where the requesting employee is the caller, newest first.',
    input: z.object({
      state: z.enum(['open', 'all']).default('open').describe('"open" (default) for unresolved incidents, "all" to include resolved and closed ones'),
      limit: z.number().int().min(1).max(100).default(20).describe('Most incidents to return (1-100, default 20)'),
    }).strict(),
    output: z.object({ incidents: z.array(incidentOutputSchema), count: z.number().int() }),
    risk: 'read',
    idempotent: true,
    scopes: ['useraccount'],
    describe: (args) => `List my ${args.state === 'all' ? '' : 'open '}ServiceNow incidents`,
    async execute(ctx, args) {
      const client = clientFor(ctx, deps);
      const filter = args.state === 'all' ? '' : '^active=true^state!=6';
      const records = await client.paginate({
        method: 'GET',
        path: '/api/now/table/incident',
        query: { ...INCIDENT_QUERY, sysparm_query: `caller_id=javascript:gs.getUserID()${filter}^ORDERBYDESCsys_updated_on`, sysparm_limit: Math.min(PAGE_SIZE, args.limit) },
        schema: resultList(incidentRecordSchema),
      }, args.limit);
      const incidents = records.map((r) => normalizeIncident(r, client.baseUrl));
      return { incidents, count: incidents.length };
    },
  });
}

const commentSchema = z.object({ author: z.string(), at: z.string(), text: z.string() });

export function getIncidentTool(deps: ServiceNowToolDeps) {
  return defineTool({
    name: 'get_incident',
    description: 'Read one ServiceNow incident by number, with its latest customer-visible comments.',
    input: z.object({ number: incidentNumberSchema }).strict(),
    output: incidentOutputSchema.extend({ description: z.string(), comments: z.array(commentSchema) }),
    risk: 'read',
    idempotent: true,
    scopes: ['useraccount'],
    describe: (args) => `Read ServiceNow incident ${args.number}`,
    summarize: (out) => {
      const owner = out.assigned_to ? `assigned to ${quoteData(out.assigned_to, 30)}` : 'not assigned yet';
      const latest = out.comments[0];
      return fit(
        `Incident ${quoteData(out.number, 20)} (${quoteData(out.short_description, 50)}) is ${quoteData(out.state, 24)}, ${owner}`,
        latest ? (room) => quotedIn('; latest comment: ', withoutRef(latest.text), room) : undefined,
      );
    },
    async execute(ctx, args) {
      const client = clientFor(ctx, deps);
      const record = await incidentByNumber(client, args.number);
      const comments = await recentComments(client, 'incident', record.sys_id.value, 5);
      return {
        ...normalizeIncident(record, client.baseUrl),
        description: record.description.display_value,
        comments: comments.map((c) => ({ author: c.sys_created_by, at: c.sys_created_on, text: c.value })),
      };
    },
  });
}
