import { z } from 'zod';
import { defineTool } from '../../../src/tools/tool.js';
import { quoteData, sentence } from '../../shared/summary.js';
import { incidentRecordSchema, resultOne } from '../schemas.js';
import { clientFor, requester, type ServiceNowToolDeps } from './context.js';
import { INCIDENT_QUERY, incidentByCorrelation, incidentOutputSchema, normalizeIncident } from './incidents.js';

const level = z.number().int().min(1).max(3);

export const createIncidentInput = z.object({
  short_description: z.string().trim().min(3).max(160).describe('One-line summary of the problem'),
  description: z.string().max(4000).optional().describe('Details: what happened, since when, error messages'),
  urgency: level.optional().describe('1 high, 2 medium, 3 low (default 3). Priority is derived from impact × urgency: P1 = impact 1 + urgency 1, P2 = impact 1 + urgency 2, P3 = 2 + 2, P4 = impact 2 + urgency 3, P5 = 3 + 3'),
  impact: level.optional().describe('1 high, 2 medium, 3 low (default 3)'),
  category: z.string().trim().min(1).max(40).optional().describe('e.g. network, hardware, software, inquiry'),
}).strict();

/**
 * Opens an incident with the requester as caller. `correlation_id` carries the runtime's idempotency
 * key, so a retry or a reconcile can read the incident back instead of opening a second one.
 */
export function createIncidentTool(deps: ServiceNowToolDeps) {
  return defineTool({
    name: 'create_incident',
    description: 'Open a ServiceNow incident with the requesting employee as the caller.',
    input: createIncidentInput,
    output: incidentOutputSchema,
    risk: 'write',
    idempotent: false,
    scopes: ['useraccount'],
    describe: (args) => `Open a ServiceNow incident "${args.short_description}"${args.urgency && args.impact ? ` (urgency ${args.urgency}, impact ${args.impact})` : ''}`,
    summarize: (out) => sentence(`Created incident ${quoteData(out.number, 20)} (priority ${quoteData(out.priority, 24)}): ${quoteData(out.short_description, 70)}`),
    async execute(ctx, args) {
      const client = clientFor(ctx, deps);
      const me = await requester(ctx, client);
      const found = async () => incidentByCorrelation(client, ctx.idempotencyKey);
      const record = await client.guardedWrite(found, async () => {
        const created = await client.request({
          method: 'POST',
          path: '/api/now/table/incident',
          query: INCIDENT_QUERY,
          body: {
            short_description: args.short_description,
            ...(args.description ? { description: args.description } : {}),
            caller_id: me.sysId,
            ...(args.urgency ? { urgency: String(args.urgency) } : {}),
            ...(args.impact ? { impact: String(args.impact) } : {}),
            ...(args.category ? { category: args.category } : {}),
            correlation_id: ctx.idempotencyKey,
            correlation_display: 'Switchboard',
          },
          schema: resultOne(incidentRecordSchema),
        });
        return created.data.result;
      });
      return normalizeIncident(record, client.baseUrl);
    },
    async reconcile(ctx) {
      const client = clientFor(ctx, deps);
      const record = await incidentByCorrelation(client, ctx.idempotencyKey);
      return record ? { status: 'applied', output: normalizeIncident(record, client.baseUrl) } : { status: 'not_applied' };
    },
  });
}
