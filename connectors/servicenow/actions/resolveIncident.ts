import { z } from 'zod';
import { defineTool } from '../../../src/tools/tool.js';
import { quoteData, sentence } from '../../shared/summary.js';
import type { ServiceNowClient } from '../client.js';
import { ServiceNowLookupError } from '../errors.js';
import { choiceRecordSchema, resultList } from '../schemas.js';
import { clientFor, type ServiceNowToolDeps } from './context.js';
import { incidentByNumber, incidentNumberSchema, incidentOutputSchema, normalizeIncident, patchIncident } from './incidents.js';

const RESOLVED = '6';
const CLOSED = '7';
const DEFAULT_CLOSE_CODE = 'Solution provided';

const input = z.object({
  number: incidentNumberSchema,
  close_notes: z.string().trim().min(3).max(4000).describe('Resolution notes: what fixed it'),
  close_code: z.string().trim().min(1).max(80).optional().describe('Resolution code, e.g. "Solution provided", "Workaround provided", "Resolved by caller"'),
}).strict();

/**
 * Moves an incident to Resolved. The state guard makes it repeatable: an incident already resolved
 * or closed is returned as it is, and the PATCH itself sets the same values every time.
 */
export function resolveIncidentTool(deps: ServiceNowToolDeps) {
  return defineTool({
    name: 'resolve_incident',
    description: 'Resolve a ServiceNow incident with resolution notes (the caller or IT staff may do this).',
    input,
    output: incidentOutputSchema.extend({ already_resolved: z.boolean() }),
    risk: 'write',
    idempotent: true,
    scopes: ['useraccount'],
    describe: (args) => `Resolve ServiceNow incident ${args.number} (${args.close_code ?? DEFAULT_CLOSE_CODE})`,
    summarize: (out) => out.already_resolved
      ? sentence(`Incident ${quoteData(out.number, 20)} was already ${quoteData(out.state, 30)}, so nothing changed`)
      : sentence(`Resolved incident ${quoteData(out.number, 20)} (${quoteData(out.short_description, 50)})${out.close_code ? ` with close code ${quoteData(out.close_code, 40)}` : ''}`),
    async execute(ctx, args) {
      const client = clientFor(ctx, deps);
      const incident = await incidentByNumber(client, args.number);
      if (incident.state.value === RESOLVED || incident.state.value === CLOSED) {
        return { ...normalizeIncident(incident, client.baseUrl), already_resolved: true };
      }
      const closeCode = await closeCodeFor(client, args.close_code);
      const updated = await patchIncident(client, incident.sys_id.value, { state: RESOLVED, close_code: closeCode, close_notes: args.close_notes }, true);
      return { ...normalizeIncident(updated, client.baseUrl), already_resolved: false };
    },
  });
}

/** Resolution codes differ by release, so the instance's own choice list decides. */
async function closeCodeFor(client: ServiceNowClient, wanted: string | undefined): Promise<string> {
  const choices = await client.request({
    method: 'GET',
    path: '/api/now/table/sys_choice',
    query: { sysparm_query: 'name=incident^element=close_code^inactive=false^ORDERBYsequence', sysparm_fields: 'value,label', sysparm_limit: 100 },
    schema: resultList(choiceRecordSchema),
  });
  const options = choices.data.result;
  if (options.length === 0) return wanted ?? DEFAULT_CLOSE_CODE;
  const target = (wanted ?? DEFAULT_CLOSE_CODE).toLowerCase();
  const match = options.find((c) => c.value.toLowerCase() === target || c.label.toLowerCase() === target);
  if (match) return match.value;
  if (!wanted) return options[0]?.value ?? DEFAULT_CLOSE_CODE;
  throw new ServiceNowLookupError('close_code', wanted, options.map((c) => c.label));
}
